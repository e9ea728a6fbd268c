environment = "staging"
region      = "eu-central-1"
