locals {
  # Every step a task can be posted to (/tasks/<step>): one Cloud Function each, entered as the
  # step and named as it with "_" as "-" (Cloud Run names allow no "_"). The steps are those of
  # shared/pipeline/flow.py, each with its entry point in functions/main.py (tests/infra/test_flow.py
  # checks they agree both ways).
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
    "sources",
    "export",
    "loop_meta_report",
    "loop_tiktok_report",
    "loop_learn",
    "read_page",
  ])

  # Functions Cloud Scheduler calls, with when; private like the task functions.
  scheduled_functions = {
    sweep         = { schedule = "* * * * *", description = "re-send outbox tasks committed but never enqueued" }
    insights_pull = { schedule = "15 */6 * * *", description = "pull ad performance from the platforms" }
    digest        = { schedule = "0 9 * * 1-5", description = "post the daily digest to the Slack channel" }
  }

  # Public HTTPS endpoints (Slack and the ad platforms call them; each checks a signature). A
  # webhook mounts its platform's secrets only when var.ad_platforms lists the platform: Cloud Run
  # cannot start a revision that mounts a secret with no version, and without its secret a
  # webhook answers 503 to every delivery (shared/web/webhooks.py), storing nothing.
  public_functions = {
    slack_events       = { min_instances = 1, secrets = ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"] }
    webhook_meta       = { min_instances = 0, secrets = contains(var.ad_platforms, "meta") ? ["META_APP_SECRET", "META_VERIFY_TOKEN"] : [] }
    webhook_tiktok     = { min_instances = 0, secrets = contains(var.ad_platforms, "tiktok") ? ["TIKTOK_CLIENT_SECRET"] : [] }
    webhook_google_ads = { min_instances = 0, secrets = contains(var.ad_platforms, "google_ads") ? ["GOOGLE_ADS_WEBHOOK_SECRET"] : [] }
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
    "TIKTOK_ACCESS_TOKEN",
    "GOOGLE_ADS_WEBHOOK_SECRET",
    "ADLOOP_TASK_TOKEN",
  ])

  # Secrets the step functions read: Slack to publish, Claude when it writes, the Meta access
  # token to pull insights (insights_pull, loop_meta_report) when Meta is one of the platforms.
  step_secrets = concat(
    ["SLACK_BOT_TOKEN"],
    var.llm == "anthropic" ? ["ANTHROPIC_API_KEY"] : [],
    contains(var.ad_platforms, "meta") ? ["META_ACCESS_TOKEN"] : [],
    # TikTok's Reporting API token (insights_pull queues, loop_tiktok_report reads).
    contains(var.ad_platforms, "tiktok") ? ["TIKTOK_ACCESS_TOKEN"] : [],
  )

  # The queues of shared/ports/queue.QUEUES with their dispatch limits; var.queue_limits changes
  # them per queue and per limit (queue_limits below).
  queues = {
    # Model calls: at most 10 steps at once, each making a few calls, keeps a campaign under
    # ~300 requests a minute (Anthropic tier 2 allows 1,000; Gemini on Vertex is shared quota).
    pipeline = { max_dispatches_per_second = 5, max_concurrent_dispatches = 10 }
    # One render task per video; each holds an L4 GPU while its job runs: match the GPU quota.
    render = { max_dispatches_per_second = 1, max_concurrent_dispatches = 5 }
    # Slack posts: chat.postMessage allows about one message a second per channel.
    feedback = { max_dispatches_per_second = 1, max_concurrent_dispatches = 2 }
  }

  queue_limits = {
    for name, limits in local.queues : name => merge(limits, {
      for key, value in try(var.queue_limits[name], {}) : key => value if value != null
    })
  }

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
  common_env = merge(
    {
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
      # functions-framework's own switch (not adloop's): log each request's execution id.
      LOG_EXECUTION_ID = "true"
    },
    contains(var.ad_platforms, "meta") ? { ADLOOP_META_AD_ACCOUNT_ID = var.meta_ad_account_id } : {},
    contains(var.ad_platforms, "tiktok") ? { ADLOOP_TIKTOK_ADVERTISER_ID = var.tiktok_advertiser_id } : {},
  )
}
