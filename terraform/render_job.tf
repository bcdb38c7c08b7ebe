# The render job: python -m gpu_jobs SPEC OUT on one NVIDIA L4 (NVENC), started once per video
# by the render step with the spec and output paths as args (shared/adapters/cloud_run_jobs.py).
resource "google_cloud_run_v2_job" "render" {
  name                = "adloop-render"
  location            = var.region
  launch_stage        = var.render_job_launch_stage
  deletion_protection = var.deletion_protection

  template {
    task_count  = 1
    parallelism = 1

    template {
      service_account = google_service_account.render.email
      timeout         = "900s"
      # The render step decides about retries (ADLOOP_RENDER_ATTEMPTS), so the job makes none.
      max_retries = 0
      # One zone is fine for a batch job and costs less than zonal redundancy.
      gpu_zonal_redundancy_disabled = true

      node_selector {
        accelerator = "nvidia-l4"
      }

      containers {
        image = local.render_image

        resources {
          # An L4 needs at least 4 vCPU and 16 GiB on Cloud Run.
          limits = {
            cpu              = "4"
            memory           = "16Gi"
            "nvidia.com/gpu" = "1"
          }
        }

        env {
          name  = "ADLOOP_BACKEND"
          value = "gcp"
        }
        env {
          name  = "ADLOOP_GCP_PROJECT"
          value = var.project
        }
        env {
          name  = "ADLOOP_BUCKET"
          value = google_storage_bucket.assets.name
        }
      }
    }
  }

  depends_on = [google_project_service.apis]
}
