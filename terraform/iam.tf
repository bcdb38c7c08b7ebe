# One service account per deployable, each with only what its code calls.

resource "google_service_account" "steps" {
  account_id   = "adloop-steps"
  display_name = "adloop pipeline steps, sweeper and schedules (Cloud Functions)"
}

resource "google_service_account" "bot" {
  account_id   = "adloop-bot"
  display_name = "adloop Slack bot (slack_events)"
}

resource "google_service_account" "webhooks" {
  account_id   = "adloop-webhooks"
  display_name = "adloop ad-platform webhooks"
}

resource "google_service_account" "render" {
  account_id   = "adloop-render"
  display_name = "adloop render job (Cloud Run job, L4 GPU)"
}

resource "google_service_account" "invoker" {
  account_id   = "adloop-invoker"
  display_name = "identity of Cloud Tasks and Cloud Scheduler calls (OIDC)"
}

resource "google_service_account" "builder" {
  account_id   = "adloop-fn-builder"
  display_name = "builds the function containers from source"
}

locals {
  # Identities that read and write campaign state in Firestore.
  firestore_users = {
    steps    = google_service_account.steps.email
    bot      = google_service_account.bot.email
    webhooks = google_service_account.webhooks.email
  }

  # Identities that create tasks, and the queues their code puts tasks on; each names the invoker
  # as the task's OIDC identity. The steps' runner and sweeper send every step's next tasks. The
  # bot starts campaigns (pipeline), queues review work (feedback), and `/adloop retry` re-sends
  # whichever tasks failed, each on its own queue: any of them. The webhooks queue report pulls
  # and learning (feedback). tests/infra/test_deployed_access.py traces these through the code.
  enqueuers = {
    steps    = { email = google_service_account.steps.email, queues = keys(local.queues) }
    bot      = { email = google_service_account.bot.email, queues = keys(local.queues) }
    webhooks = { email = google_service_account.webhooks.email, queues = ["feedback"] }
  }

  enqueue_grants = merge([
    for who, grant in local.enqueuers : {
      for queue in grant.queues : "${who}-${queue}" => { email = grant.email, queue = queue }
    }
  ]...)

  # Which deployable reads which secret.
  secret_readers = merge(
    { for key in local.step_secrets : "steps-${key}" => { email = google_service_account.steps.email, key = key } },
    merge([
      for name, fn in local.public_functions : {
        for key in fn.secrets : "${name}-${key}" => {
          email = name == "slack_events" ? google_service_account.bot.email : google_service_account.webhooks.email
          key   = key
        }
      }
    ]...),
  )
}

# Firestore has no per-database IAM; datastore.user is the narrowest role that reads and writes.
resource "google_project_iam_member" "firestore" {
  for_each = local.firestore_users

  project = var.project
  role    = "roles/datastore.user"
  member  = "serviceAccount:${each.value}"
}

# Gemini on Vertex AI (ADLOOP_LLM=vertex) is called by the steps only.
resource "google_project_iam_member" "vertex" {
  project = var.project
  role    = "roles/aiplatform.user"
  member  = "serviceAccount:${google_service_account.steps.email}"
}

resource "google_cloud_tasks_queue_iam_member" "enqueue" {
  for_each = local.enqueue_grants

  name     = google_cloud_tasks_queue.queue[each.value.queue].name
  location = var.region
  role     = "roles/cloudtasks.enqueuer"
  member   = "serviceAccount:${each.value.email}"
}

# Creating a task that carries an OIDC token as the invoker needs actAs on the invoker only.
resource "google_service_account_iam_member" "act_as_invoker" {
  for_each = local.enqueuers

  service_account_id = google_service_account.invoker.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${each.value.email}"
}

# The Cloud Tasks and Cloud Scheduler service agents mint the invoker's OIDC tokens.
resource "google_service_account_iam_member" "token_minting" {
  for_each = toset(["cloudtasks", "cloudscheduler"])

  service_account_id = google_service_account.invoker.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-${each.key}.iam.gserviceaccount.com"
}

# No identity may sign as itself: nothing deployed hands out signed URLs (Blobs.url has no
# caller outside tests). GcsBlobs.url signs through IAM signBlob, so the first code that calls it
# needs roles/iam.serviceAccountTokenCreator for its identity on itself (tests/infra checks).

# The render step starts the job with per-run args and reads its executions; nothing else.
resource "google_cloud_run_v2_job_iam_member" "steps_run_render" {
  name     = google_cloud_run_v2_job.render.name
  location = var.region
  role     = "roles/run.jobsExecutorWithOverrides"
  member   = "serviceAccount:${google_service_account.steps.email}"
}

# Only the invoker may call the private functions (Cloud Run checks its OIDC token).
resource "google_cloud_run_v2_service_iam_member" "invoke_private" {
  for_each = local.private_functions

  name     = google_cloudfunctions2_function.private[each.key].service_config[0].service
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.invoker.email}"
}

resource "google_secret_manager_secret_iam_member" "read" {
  for_each = local.secret_readers

  secret_id = google_secret_manager_secret.secret[each.value.key].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${each.value.email}"
}

# The function builder: write build logs, push the built image, read the uploaded source.
resource "google_project_iam_member" "builder_logs" {
  project = var.project
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.builder.email}"
}

resource "google_artifact_registry_repository_iam_member" "builder_push" {
  for_each = toset([google_artifact_registry_repository.images.repository_id, google_artifact_registry_repository.functions.repository_id])

  repository = each.key
  location   = var.region
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.builder.email}"
}

resource "google_storage_bucket_iam_member" "builder_source" {
  bucket = google_storage_bucket.source.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.builder.email}"
}
