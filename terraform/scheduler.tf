# Cloud Scheduler calls the scheduled functions with an OIDC token as the invoker, like the queues.
resource "google_cloud_scheduler_job" "scheduled" {
  for_each = local.scheduled_functions

  name             = "adloop-${replace(each.key, "_", "-")}"
  description      = each.value.description
  schedule         = each.value.schedule
  time_zone        = var.time_zone
  region           = var.region
  attempt_deadline = "120s"

  retry_config {
    retry_count          = 1
    min_backoff_duration = "5s"
  }

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.private[each.key].url

    oidc_token {
      service_account_email = google_service_account.invoker.email
      audience              = google_cloudfunctions2_function.private[each.key].url
    }
  }

  depends_on = [google_project_service.apis, google_service_account_iam_member.token_minting]
}
