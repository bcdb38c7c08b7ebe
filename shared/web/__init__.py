"""The HTTP routes every deployable serves alike: the ad platforms' webhooks and which routes
are configured."""
