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
  description = "Dispatch limits to change, per Cloud Tasks queue; a queue or limit left out keeps its default (local.queues in locals.tf). See docs/deploy.md for how they follow the model providers' quotas."
  type = map(object({
    max_dispatches_per_second = optional(number)
    max_concurrent_dispatches = optional(number)
  }))
  default = {}
}

variable "ad_platforms" {
  description = "Ad platforms whose performance adloop reads: any of meta, tiktok, google_ads. Each one listed mounts its secrets, which must then have a version (docs/deploy.md, step 4); a platform left out keeps its webhook, which refuses every delivery."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for p in var.ad_platforms : contains(["meta", "tiktok", "google_ads"], p)])
    error_message = "ad_platforms may list meta, tiktok and google_ads only."
  }
}

variable "meta_ad_account_id" {
  description = "Meta ad account whose ad insights the scheduled pull requests (its number, with or without act_); needed when ad_platforms lists meta."
  type        = string
  default     = ""

  validation {
    condition     = var.meta_ad_account_id == "" || can(regex("^(act_)?[0-9]+$", var.meta_ad_account_id))
    error_message = "meta_ad_account_id is the ad account's number as Ads Manager shows it, with or without act_ (act_1234567890)."
  }
}

variable "tiktok_advertiser_id" {
  description = "TikTok advertiser whose integrated report the scheduled pull reads (its numeric id, as Ads Manager shows it); needed when ad_platforms lists tiktok."
  type        = string
  default     = ""

  validation {
    condition     = var.tiktok_advertiser_id == "" || can(regex("^[0-9]+$", var.tiktok_advertiser_id))
    error_message = "tiktok_advertiser_id is the advertiser's numeric id as TikTok Ads Manager shows it (7000000000000000001)."
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
