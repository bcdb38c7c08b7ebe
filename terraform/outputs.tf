output "slack_request_url" {
  description = "Paste into the Slack app manifest (infra/slack-manifest.yaml) for the slash command, event subscriptions and interactivity."
  value       = google_cloud_run_v2_service.public["slack_events"].uri
}

output "webhook_urls" {
  description = "Callback URLs to register with each ad platform."
  value = {
    meta       = google_cloud_run_v2_service.public["webhook_meta"].uri
    tiktok     = google_cloud_run_v2_service.public["webhook_tiktok"].uri
    google_ads = google_cloud_run_v2_service.public["webhook_google_ads"].uri
  }
}

output "tasks_base_url" {
  description = "Base URL of the private task functions (ADLOOP_TASKS_BASE_URL)."
  value       = local.functions_base_url
}

output "assets_bucket" {
  description = "Bucket with campaign assets (ADLOOP_BUCKET)."
  value       = google_storage_bucket.assets.name
}

output "image_repository" {
  description = "Artifact Registry path Cloud Build pushes the render and functions images to."
  value       = local.registry
}

output "render_job" {
  description = "Cloud Run job the render step starts (ADLOOP_RENDER_JOB)."
  value       = google_cloud_run_v2_job.render.name
}

output "slack_channel" {
  description = "Channel the daily digest and campaigns started outside Slack post to."
  value       = var.slack_channel
}
