variable "project" {
  description = "Google Cloud project id to deploy into."
  type        = string
}

variable "region" {
  description = "Region for every regional resource. It must offer NVIDIA L4 GPUs on Cloud Run, because the render job runs in the same region as the functions that start it."
  type        = string
  default     = "europe-west4"

  validation {
    # Cloud Run's L4 regions (us-central1 and asia-south1 are by invitation only).
    condition     = contains(["asia-southeast1", "asia-south1", "europe-west1", "europe-west4", "us-central1", "us-east4"], var.region)
    error_message = "Pick a region where Cloud Run offers NVIDIA L4 GPUs: asia-southeast1, asia-south1, europe-west1, europe-west4, us-central1 or us-east4."
  }
}

variable "firestore_location" {
  description = "Firestore location; a multi-region (eur3, nam5) or the region itself."
  type        = string
  default     = "eur3"
}

variable "slack_channel" {
  description = "Slack channel id (C…) that gets the daily digest and campaigns started outside Slack."
  type        = string
}

variable "slack_reviewers" {
  description = "Slack user or user-group ids allowed to set Approved and Winner."
  type        = list(string)
  default     = []
}

variable "llm" {
  description = "Model provider for every step: vertex (Gemini, no key) or anthropic (needs the anthropic-api-key secret)."
  type        = string
  default     = "vertex"

  validation {
    condition     = contains(["vertex", "anthropic"], var.llm)
    error_message = "llm must be vertex or anthropic."
  }
}

variable "image_tag" {
  description = "Tag of the render and functions images in Artifact Registry (Cloud Build passes the commit)."
  type        = string
  default     = "latest"
}

variable "function_source_zip" {
  description = "Path of the zipped function source that Cloud Build packages (build/functions.zip)."
  type        = string
  default     = "../build/functions.zip"
}

variable "alert_email" {
  description = "Where failed-step alerts go; empty sends them to no one (the incidents still open)."
  type        = string
  default     = ""
}

variable "time_zone" {
  description = "Time zone of the digest and insight schedules."
  type        = string
  default     = "Etc/UTC"
}

variable "render_retention_days" {
  description = "Days rendered videos and their working files are kept in the assets bucket."
  type        = number
  default     = 90
}

variable "queue_limits" {
  description = "Dispatch limits per Cloud Tasks queue; see docs/deploy.md for how they follow the model providers' quotas."
  type = map(object({
    max_dispatches_per_second = number
    max_concurrent_dispatches = number
  }))
  default = {
    # Model calls: at most 10 steps at once, each making a few calls, keeps a campaign under
    # ~300 requests a minute (Anthropic tier 2 allows 1,000; Gemini on Vertex is shared quota).
    pipeline = { max_dispatches_per_second = 5, max_concurrent_dispatches = 10 }
    # One render task per video; each holds an L4 GPU while its job runs: match the GPU quota.
    render = { max_dispatches_per_second = 1, max_concurrent_dispatches = 5 }
    # Slack posts: chat.postMessage allows about one message a second per channel.
    feedback = { max_dispatches_per_second = 1, max_concurrent_dispatches = 2 }
  }
}

variable "render_job_launch_stage" {
  description = "Launch stage of the GPU render job; set BETA if your project still sees Cloud Run job GPUs in preview."
  type        = string
  default     = "GA"
}

variable "deletion_protection" {
  description = "Protect Firestore, the Cloud Run services and the render job from terraform destroy."
  type        = bool
  default     = true
}
