# The public endpoints: the Slack bot and the ad-platform webhooks. They run the same entry points
# (functions/main.py, through functions-framework) from the functions image built by
# infra/Dockerfile.functions, as Cloud Run services: Slack and the platforms cannot send Google
# identity tokens, so these must accept unauthenticated calls, and a Cloud Run service can do that
# by switching off the invoker IAM check instead of granting roles/run.invoker to allUsers. Each
# handler authenticates the caller itself (Slack signing secret, platform HMAC signatures).
resource "google_cloud_run_v2_service" "public" {
  for_each = local.public_functions

  name                 = replace(each.key, "_", "-")
  location             = var.region
  description          = "adloop ${each.key} (entry point functions/main.py:${each.key})"
  ingress              = "INGRESS_TRAFFIC_ALL"
  invoker_iam_disabled = true
  deletion_protection  = var.deletion_protection

  template {
    service_account                  = each.key == "slack_events" ? google_service_account.bot.email : google_service_account.webhooks.email
    timeout                          = "30s"
    max_instance_request_concurrency = 20

    scaling {
      # The bot keeps one instance warm so Slack's 3-second acknowledgement never waits for a cold start.
      min_instance_count = each.value.min_instances
      max_instance_count = 10
    }

    containers {
      image = local.functions_image

      resources {
        limits = {
          cpu    = "1"
          memory = "512Mi"
        }
        cpu_idle          = true
        startup_cpu_boost = true
      }

      env {
        name  = "FUNCTION_TARGET"
        value = each.key
      }

      dynamic "env" {
        for_each = local.common_env
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = toset(each.value.secrets)
        content {
          name = env.value
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.secret[env.value].secret_id
              version = "latest"
            }
          }
        }
      }

      startup_probe {
        tcp_socket {
          port = 8080
        }
      }
    }
  }

  depends_on = [google_project_service.apis, google_secret_manager_secret_iam_member.read]
}
