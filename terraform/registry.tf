# Container images: the render job and the public endpoints' functions image.
resource "google_artifact_registry_repository" "images" {
  #checkov:skip=CKV_GCP_84:images hold no customer data; Google-managed encryption keys suffice and CMEK would add a KMS key to run
  repository_id = "adloop"
  location      = var.region
  format        = "DOCKER"
  description   = "adloop render and functions images"

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 10
    }
  }

  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      older_than = "2592000s"
    }
  }

  depends_on = [google_project_service.apis]
}

# Where Cloud Functions keeps the images it builds from source.
resource "google_artifact_registry_repository" "functions" {
  #checkov:skip=CKV_GCP_84:built function images hold no customer data; Google-managed keys suffice
  repository_id = "adloop-functions"
  location      = var.region
  format        = "DOCKER"
  description   = "images Cloud Functions builds from the adloop source"

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 5
    }
  }

  depends_on = [google_project_service.apis]
}
