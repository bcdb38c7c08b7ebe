# Campaign assets: render specs, rendered videos, posters, contact sheets, product images.
resource "google_storage_bucket" "assets" {
  name                        = "${var.project}-adloop-assets"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  # A step that overwrites an asset by mistake can be undone for a week.
  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age            = var.render_retention_days
      matches_prefix = ["campaigns/"]
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 7
    }
    action {
      type = "Delete"
    }
  }

  # Rendered videos are read in the first days of review, rarely after.
  lifecycle_rule {
    condition {
      age            = 30
      matches_prefix = ["campaigns/"]
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }

  logging {
    log_bucket = google_storage_bucket.access_logs.name
  }

  depends_on = [google_project_service.apis]
}

# Zipped function source, one object per build.
resource "google_storage_bucket" "source" {
  name                        = "${var.project}-adloop-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age = 30
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 7
    }
    action {
      type = "Delete"
    }
  }

  logging {
    log_bucket = google_storage_bucket.access_logs.name
  }

  depends_on = [google_project_service.apis]
}

resource "google_storage_bucket" "access_logs" {
  #checkov:skip=CKV_GCP_62:this bucket receives the other buckets' access logs; logging it to itself would loop
  name                        = "${var.project}-adloop-access-logs"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age = 365
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

# Cloud Storage writes access logs as this group.
resource "google_storage_bucket_iam_member" "access_logs_writer" {
  bucket = google_storage_bucket.access_logs.name
  role   = "roles/storage.objectCreator"
  member = "group:cloud-storage-analytics@google.com"
}

resource "google_storage_bucket_object" "function_source" {
  # A new name per content, so a changed zip redeploys every function.
  name   = "functions-${filemd5(var.function_source_zip)}.zip"
  bucket = google_storage_bucket.source.name
  source = var.function_source_zip
}

# Steps write specs and read results; the render job reads its spec and writes its outputs.
resource "google_storage_bucket_iam_member" "assets_rw" {
  for_each = {
    steps  = google_service_account.steps.email
    render = google_service_account.render.email
  }

  bucket = google_storage_bucket.assets.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${each.value}"
}
