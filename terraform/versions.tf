terraform {
  required_version = ">= 1.6.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.40.0, < 8.0.0"
    }
  }

  # State lives in a bucket made once by hand (docs/deploy.md, step 2):
  #   terraform init -backend-config="bucket=<project>-tfstate"
  backend "gcs" {
    prefix = "adloop"
  }
}

provider "google" {
  project = var.project
  region  = var.region

  default_labels = {
    app = "adloop"
  }
}

data "google_project" "this" {
  project_id = var.project
}
