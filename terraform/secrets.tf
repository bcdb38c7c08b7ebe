# The secrets themselves; their values are added by hand (docs/deploy.md, step 4), never in
# terraform state.
resource "google_secret_manager_secret" "secret" {
  for_each = local.secrets

  secret_id = replace(lower(each.key), "_", "-")
  labels = {
    setting = lower(each.key)
  }

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}
