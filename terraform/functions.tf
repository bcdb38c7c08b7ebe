# Private Cloud Functions (gen2): one per step a task can be posted to, plus the scheduled ones.
# Each is the entry point of the same name in functions/main.py, built from one source zip.
# Ingress is internal only: Cloud Tasks and Cloud Scheduler in this project count as internal,
# and only the invoker service account may call them (iam.tf).
locals {
  private_function_settings = {
    for name in local.private_functions : name => {
      # The render step waits for its job (ADLOOP_RENDER_WAIT_S, 540 s) before asking for a retry.
      timeout_seconds = name == "render" ? 600 : 300
      memory          = name == "render" ? "512Mi" : "1Gi"
    }
  }
}

resource "google_cloudfunctions2_function" "private" {
  for_each = local.private_functions

  name        = replace(each.key, "_", "-")
  location    = var.region
  description = "adloop ${each.key} (entry point functions/main.py:${each.key})"

  build_config {
    runtime           = "python311"
    entry_point       = each.key
    service_account   = google_service_account.builder.id
    docker_repository = google_artifact_registry_repository.functions.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.function_source.name
      }
    }
  }

  service_config {
    available_memory                 = local.private_function_settings[each.key].memory
    available_cpu                    = "1"
    timeout_seconds                  = local.private_function_settings[each.key].timeout_seconds
    max_instance_count               = 20
    min_instance_count               = 0
    max_instance_request_concurrency = 4
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision   = true
    service_account_email            = google_service_account.steps.email
    environment_variables            = local.common_env

    dynamic "secret_environment_variables" {
      for_each = toset(local.step_secrets)
      content {
        key        = secret_environment_variables.value
        project_id = var.project
        secret     = google_secret_manager_secret.secret[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  lifecycle {
    # The scheduled insight pull asks Meta for this account's reports; without it, it asks for none.
    precondition {
      condition     = !contains(var.ad_platforms, "meta") || var.meta_ad_account_id != ""
      error_message = "ad_platforms lists meta: set meta_ad_account_id to the Meta ad account whose insights adloop pulls."
    }
    # The scheduled pull reads this advertiser's TikTok report; without it, it reads none.
    precondition {
      condition     = !contains(var.ad_platforms, "tiktok") || var.tiktok_advertiser_id != ""
      error_message = "ad_platforms lists tiktok: set tiktok_advertiser_id to the TikTok advertiser whose report adloop pulls."
    }
  }

  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_iam_member.read,
    google_storage_bucket_iam_member.builder_source,
    google_artifact_registry_repository_iam_member.builder_push,
    google_project_iam_member.builder_logs,
  ]
}
