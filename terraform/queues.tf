# The three queues shared/ports/queue.QUEUES names. Retries mirror the local queue's RetryPolicy
# (local.retry); rate limits are per queue (var.queue_limits).
resource "google_cloud_tasks_queue" "queue" {
  for_each = var.queue_limits

  name     = each.key
  location = var.region

  rate_limits {
    max_dispatches_per_second = each.value.max_dispatches_per_second
    max_concurrent_dispatches = each.value.max_concurrent_dispatches
  }

  retry_config {
    max_attempts  = local.retry.max_attempts
    min_backoff   = local.retry.min_backoff
    max_backoff   = local.retry.max_backoff
    max_doublings = local.retry.max_doublings
  }

  # Every attempt's outcome is logged, so a failed step is visible next to its function's logs.
  stackdriver_logging_config {
    sampling_ratio = 1.0
  }

  depends_on = [google_project_service.apis]
}
