# A step that failed for good (4xx, recorded on the campaign) or crashed (5xx with a stack) logs
# a warning or error carrying its step name (shared/pipeline/runner.py, shared/task_endpoint.py);
# retries ask again with "step will be retried" and are not counted.
resource "google_logging_metric" "step_failures" {
  name        = "adloop-step-failures"
  description = "adloop steps that failed for good or crashed"
  filter      = <<-EOT
    resource.type="cloud_run_revision"
    jsonPayload.logger=~"^adloop\\."
    jsonPayload.step:*
    severity>=WARNING
    jsonPayload.message!="step will be retried"
  EOT

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"

    labels {
      key         = "step"
      value_type  = "STRING"
      description = "the step that failed"
    }
  }

  label_extractors = {
    step = "EXTRACT(jsonPayload.step)"
  }

  depends_on = [google_project_service.apis]
}

# Render job executions that failed (the render step retries them, then fails the campaign).
resource "google_logging_metric" "render_failures" {
  name        = "adloop-render-failures"
  description = "adloop render job executions that ended in failure"
  filter      = <<-EOT
    resource.type="cloud_run_job"
    resource.labels.job_name="${google_cloud_run_v2_job.render.name}"
    severity>=ERROR
  EOT

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }

  depends_on = [google_project_service.apis]
}

resource "google_monitoring_notification_channel" "email" {
  count = var.alert_email == "" ? 0 : 1

  display_name = "adloop alerts"
  type         = "email"
  labels = {
    email_address = var.alert_email
  }
}

resource "google_monitoring_alert_policy" "failures" {
  for_each = {
    steps  = google_logging_metric.step_failures.name
    render = google_logging_metric.render_failures.name
  }

  display_name          = "adloop: ${each.key} failing"
  combiner              = "OR"
  notification_channels = google_monitoring_notification_channel.email[*].id

  conditions {
    display_name = "any ${each.key} failure in 5 minutes"

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${each.value}\" AND resource.type=\"${each.key == "steps" ? "cloud_run_revision" : "cloud_run_job"}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }

  documentation {
    content   = "A campaign step failed. `/adloop status <campaign>` in Slack names the step and the reason; `/adloop retry <campaign>` resumes it once the cause is fixed. Logs: filter on jsonPayload.step."
    mime_type = "text/markdown"
  }

  alert_strategy {
    auto_close = "86400s"
  }
}
