locals {
  # Every step a task can be posted to (/tasks/<step>): one Cloud Function each, entered as the
  # step and named as it with "_" as "-" (Cloud Run names allow no "_"). The entry points are in
  # functions/main.py (tests/infra checks both ways).
  task_functions = toset([
    "intake",
    "angles",
    "write",
    "validate",
    "govern",
    "judge",
    "blueprint",
    "rank",
    "render",
    "publish",
    "finalize",
    "progress",
    "tag",
    "regenerate",
    "export",
    "loop_meta_report",
    "loop_learn",
  ])

  # Functions Cloud Scheduler calls, with when; private like the task functions.
  scheduled_functions = {
    sweep         = { schedule = "* * * * *", description = "re-send outbox tasks committed but never enqueued" }
    insights_pull = { schedule = "15 */6 * * *", description = "pull ad performance from the platforms" }
    digest        = { schedule = "0 9 * * 1-5", description = "post the daily digest to the Slack channel" }
  }

  # Public HTTPS endpoints (Slack and the ad platforms call them; each checks a signature).
  public_functions = {
    slack_events       = { min_instances = 1, secrets = ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"] }
    webhook_meta       = { min_instances = 0, secrets = ["META_APP_SECRET", "META_VERIFY_TOKEN"] }
    webhook_tiktok     = { min_instances = 0, secrets = ["TIKTOK_CLIENT_SECRET"] }
    webhook_google_ads = { min_instances = 0, secrets = ["GOOGLE_ADS_WEBHOOK_SECRET"] }
  }

  private_functions = setunion(local.task_functions, keys(local.scheduled_functions))

  # Every SecretStr setting (shared/settings.py), by the environment name the settings read; the
  # Secret Manager id is the name in kebab case (SLACK_BOT_TOKEN -> slack-bot-token).
  # SLACK_APP_TOKEN (socket mode) and ADLOOP_TASK_TOKEN (the local queue; OIDC replaces it here)
  # serve local development only and are declared so the set stays complete.
  secrets = toset([
    "SLACK_SIGNING_SECRET",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "ANTHROPIC_API_KEY",
    "META_APP_SECRET",
    "META_VERIFY_TOKEN",
    "META_ACCESS_TOKEN",
    "TIKTOK_CLIENT_SECRET",
    "GOOGLE_ADS_WEBHOOK_SECRET",
    "ADLOOP_TASK_TOKEN",
  ])

  # Secrets the step functions read: Slack to publish, Claude when it writes.
  # The Meta access token pulls insights (loop_meta_report, insights_pull).
  step_secrets = concat(["SLACK_BOT_TOKEN", "META_ACCESS_TOKEN"], var.llm == "anthropic" ? ["ANTHROPIC_API_KEY"] : [])

  # Mirrors shared/adapters/local_queue.RetryPolicy (and the ADLOOP_QUEUE_* defaults): backoff
  # from 0.2 s doubling to a 20 s cap (0.2 * 2^7 > 20), 12 attempts in all.
  retry = {
    max_attempts  = 12
    min_backoff   = "0.2s"
    max_backoff   = "20s"
    max_doublings = 7
  }

  functions_base_url = "https://${var.region}-${var.project}.cloudfunctions.net"
  registry           = "${var.region}-docker.pkg.dev/${var.project}/${google_artifact_registry_repository.images.repository_id}"
  render_image       = "${local.registry}/render:${var.image_tag}"
  functions_image    = "${local.registry}/functions:${var.image_tag}"

  # What every deployable reads through shared/settings.py.
  common_env = {
    ADLOOP_BACKEND               = "gcp"
    ADLOOP_GCP_PROJECT           = var.project
    ADLOOP_GCP_REGION            = var.region
    ADLOOP_BUCKET                = google_storage_bucket.assets.name
    ADLOOP_TASKS_BASE_URL        = local.functions_base_url
    ADLOOP_TASKS_SERVICE_ACCOUNT = google_service_account.invoker.email
    ADLOOP_RENDER_JOB            = google_cloud_run_v2_job.render.name
    ADLOOP_LLM                   = var.llm
    ADLOOP_SLACK_REVIEWERS       = join(",", var.slack_reviewers)
    ADLOOP_SLACK_CHANNEL         = var.slack_channel
    ADLOOP_LOG_LEVEL             = "INFO"
    LOG_EXECUTION_ID             = "true"
  }
}
