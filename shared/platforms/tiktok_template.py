"""TikTok Ads Manager's bulk-import template: its columns, in its order, as TikTok names them.

TikTok does not publish the template as text: Ads Manager hands each ad account its own copy
(Campaign > Import > download template), in the account's interface language, and "make sure you
have not deleted any columns or changed column names" is the first thing its troubleshooting
article asks (https://ads.tiktok.com/help/article/troubleshoot-bulk-import-issues). The header
below is the English template's, as a third-party exporter that fills TikTok's downloaded
``tt_template.xlsx`` lists it (read 2026-07 from the public code index; the file cites no
repository name, so it is recorded by index id in tests/fixtures/platforms/tiktok/SOURCES.md).
tests/fixtures/platforms/tiktok/bulk_import_header.json holds the same list; a test keeps them
equal. An account with allow-listed features may download a template with more columns: the
notes file says to compare with the account's own template when the import refuses the header.
"""

from __future__ import annotations

HEADER: tuple[str, ...] = (
    "Campaign ID", "Campaign Status", "Campaign Name", "Advertising Objective",
    "Campaign type", "Sales destination", "Use catalog", "Product source",
    "iOS 14 Dedicated Campaign", "App profile page used", "Campaign Budget Type",
    "Campaign Budget Amount", "Campaign Budget Optimization", "Special ads categories",
    "Realtime API (RTA)", "Ad Group ID", "Ad Group Status", "Ad Group Name",
    "Interaction type", "Shop ads type", "Catalog ID", "Business Center ID of the catalog",
    "TikTok Shop code", "Business Center ID of the TikTok Shop", "Placement Types",
    "Placements", "Include search results", "Block List (Pangle)", "Optimization location",
    "TikTok Pixel ID", "Pixel Event", "App ID", "User Comment", "Video Download",
    "Allow video sharing", "Automated Creative Optimization", "Audience Targeting (VSA)",
    "Include audience ID", "Exclude audience ID", "Retarget audience type",
    "Date range (retarget audience)", "Custom audience", "Smart audience", "Location",
    "Gender", "Age", "Languages", "Spending power", "Household income",
    "Interest Category", "Video interactions", "Creator Category",
    "Creator-related Actions", "Hashtag interactions", "Additional interests",
    "Smart interests & behaviors", "Internet service provider", "Operating System",
    "Connection Type", "Carriers", "Device Price", "OS Versions", "Device model",
    "Category exclusions", "Vertical sensitivity", "Inventory filter",
    "Ad Group Budget Type", "Ad Group Budget Amount", "Start Time", "End Time",
    "Dayparting", "Optimization Goal", "In-App Event", "Secondary Goal",
    "Billing Method", "Click-through window", "View-through window",
    "Engaged view-through window", "Event count", "Frequency Cap", "Bid Strategy",
    "Bid", "Bid for oCPC/M", "Minimum ROAS", "Bid for Secondary Goal", "Delivery Type",
    "Ad ID", "Ad Status", "Ad Name", "Products type", "Product set ID", "Product ID",
    "Use TikTok Account", "Identity Type", "Identity ID",
    "Business Center ID of the identity", "Ad format", "Image Name", "Video Name",
    "Post ID", "Ad Music ID", "Only show as ad", "Catalog video template ID",
    "Destination Page Type (VSA)", "Destination", "Instant page ID", "Interactive add-on ID",
    "Text", "Call to action type", "Call to Action", "Playable ID",
    "Auto Ad - Image Name", "Auto Ad - Video Name", "Auto Ad - Text",
    "Auto ad - call to action type", "Auto Ad - Call to Action",
    "Website type", "Web URL", "Deeplink type", "Deeplink URL",
    "Fallback Type", "Fallback Website URL", "Impression Tracking URL",
    "Click Tracking URL", "TikTok website events", "TikTok app events",
    "TikTok offline events",
)  # fmt: skip
