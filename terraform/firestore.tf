resource "google_firestore_database" "default" {
  name                              = "(default)"
  location_id                       = var.firestore_location
  type                              = "FIRESTORE_NATIVE"
  concurrency_mode                  = "PESSIMISTIC"
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  delete_protection_state           = var.deletion_protection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  deletion_policy                   = var.deletion_protection ? "ABANDON" : "DELETE"

  depends_on = [google_project_service.apis]
}

# Composite indexes for the queries that filter on one field and order by another. Queries on a
# single field (outbox by created, patterns by kind, campaigns by created_at or completed_at,
# performance by tracking_code or campaign_id) use the automatic single-field indexes.
# tests/infra checks this list against the code's .query( calls, both ways.
locals {
  composite_indexes = {
    # bot/commands.py: the newest campaign started in a channel.
    campaigns_by_channel = { collection = "campaigns", fields = ["slack_channel", "created_at"] }
    # infra/gallery.py and the audit trail: a campaign's tag changes in order.
    audit_by_campaign = { collection = "audit", fields = ["campaign_id", "at"] }
  }
}

resource "google_firestore_index" "composite" {
  for_each = local.composite_indexes

  database    = google_firestore_database.default.name
  collection  = each.value.collection
  query_scope = "COLLECTION"

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path = fields.value
      order      = "ASCENDING"
    }
  }
}
