/**
 * adloop: post the last 30 days' ad performance to adloop's Google Ads webhook, signed. Google
 * counts a conversion on the day of its click for as long as the conversion window (30 days by
 * default, support.google.com/google-ads/answer/3123169), so those days change; adloop stores
 * one figure per ad and day, and a day sent again replaces the earlier one.
 *
 * Install: Google Ads > Tools > Bulk actions > Scripts > + New script; paste this file; set
 * ADLOOP_URL and SHARED_SECRET (the same value as GOOGLE_ADS_WEBHOOK_SECRET on the adloop side);
 * authorise; schedule it Daily (after 03:00 account time, when yesterday's figures have settled).
 *
 * Body: {"customer_id", "rows": [{ad_id, ad_name, final_url, date, impressions, clicks,
 * cost_micros, conversions, conversions_value}]}. Fields are GAQL's metrics.*, which AdsApp.search()
 * returns in lowerCamelCase (developers.google.com/google-ads/scripts/docs/features/reports);
 * metrics.conversions and conversions_value are doubles (a click can earn part of a conversion)
 * and are posted as they are, never rounded; cost_micros is an int64 (a string in JSON). Responsive/video ads report under their ad
 * name; Performance Max asset groups under the asset group's name. adloop's export puts the
 * tracking code (adl.<campaign>.<label>) in both, and in utm_content of the final URL.
 *
 * Signature: header X-Adloop-Signature: t=<unix seconds>,s=<hex HMAC-SHA256(secret, t + "." + body)>.
 * adloop refuses a signature more than five minutes old, so a captured request cannot be replayed.
 */

var ADLOOP_URL = 'https://adloop.example.com/webhooks/google-ads';
var SHARED_SECRET = 'set-me';
var BATCH = 2000; // rows per request, to stay well under UrlFetchApp's payload limits

function main() {
  var rows = adRows().concat(assetGroupRows());
  var customerId = AdsApp.currentAccount().getCustomerId();
  for (var i = 0; i < rows.length; i += BATCH) {
    post(JSON.stringify({customer_id: customerId, rows: rows.slice(i, i + BATCH)}));
  }
  Logger.log('adloop: posted ' + rows.length + ' rows');
}

function adRows() {
  var query =
    'SELECT ad_group_ad.ad.id, ad_group_ad.ad.name, ad_group_ad.ad.final_urls, segments.date, ' +
    'metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, ' +
    'metrics.conversions_value FROM ad_group_ad WHERE segments.date DURING LAST_30_DAYS ' +
    'AND metrics.impressions > 0';
  return collect(query, function (r) {
    var urls = r.adGroupAd.ad.finalUrls || [];
    return {ad_id: String(r.adGroupAd.ad.id), ad_name: r.adGroupAd.ad.name || '',
            final_url: urls.length ? urls[0] : ''};
  });
}

function assetGroupRows() {
  var query =
    'SELECT asset_group.id, asset_group.name, asset_group.final_urls, segments.date, ' +
    'metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, ' +
    'metrics.conversions_value FROM asset_group WHERE segments.date DURING LAST_30_DAYS ' +
    'AND metrics.impressions > 0';
  return collect(query, function (r) {
    var urls = r.assetGroup.finalUrls || [];
    return {ad_id: 'ag-' + r.assetGroup.id, ad_name: r.assetGroup.name || '',
            final_url: urls.length ? urls[0] : ''};
  });
}

function collect(query, ids) {
  var out = [];
  var it = AdsApp.search(query);
  while (it.hasNext()) {
    var r = it.next();
    var row = ids(r);
    row.date = r.segments.date;
    row.impressions = Number(r.metrics.impressions || 0);
    row.clicks = Number(r.metrics.clicks || 0);
    row.cost_micros = Number(r.metrics.costMicros || 0);
    row.conversions = Number(r.metrics.conversions || 0); // a double: 1.5 stays 1.5
    row.conversions_value = Number(r.metrics.conversionsValue || 0);
    out.push(row);
  }
  return out;
}

function post(body) {
  var t = String(Math.floor(Date.now() / 1000));
  var mac = Utilities.computeHmacSha256Signature(t + '.' + body, SHARED_SECRET,
                                                  Utilities.Charset.UTF_8);
  var hex = mac.map(function (b) { return ('0' + (b & 0xff).toString(16)).slice(-2); }).join('');
  var response = UrlFetchApp.fetch(ADLOOP_URL, {
    method: 'post', contentType: 'application/json', payload: body, muteHttpExceptions: true,
    headers: {'X-Adloop-Signature': 't=' + t + ',s=' + hex},
  });
  var code = response.getResponseCode();
  if (code >= 300) {
    // A 5xx is worth one more try (adloop ingests idempotently); a 4xx needs a person.
    if (code >= 500) {
      Utilities.sleep(5000);
      response = UrlFetchApp.fetch(ADLOOP_URL, {
        method: 'post', contentType: 'application/json', payload: body, muteHttpExceptions: true,
        headers: {'X-Adloop-Signature': 't=' + t + ',s=' + hex},
      });
      code = response.getResponseCode();
    }
    if (code >= 300) {
      throw new Error('adloop answered ' + code + ': ' + response.getContentText().slice(0, 500));
    }
  }
}
