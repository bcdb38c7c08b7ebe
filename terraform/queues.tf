# The queues shared/ports/queue.QUEUES names (local.queues). Retries mirror the local queue's
# RetryPolicy (local.retry); rate limits are per queue, defaults merged with var.queue_limits.
resource "google_cloud_tasks_queue" "queue" {
  for_each = local.queue_limits

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

  lifecycle {
    # A misspelt queue in var.queue_limits would otherwise change nothing, silently.
    precondition {
      condition     = length(setsubtract(keys(var.queue_limits), keys(local.queues))) == 0
      error_message = "queue_limits names ${join(", ", setsubtract(keys(var.queue_limits), keys(local.queues)))}, which is no queue; the queues are ${join(", ", keys(local.queues))}."
    }
  }

  depends_on = [google_project_service.apis]
}
