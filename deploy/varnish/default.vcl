# Varnish in front of Newsroom's web processes (docs/deployment.md, "Varnish or a CDN in front").
#
# Public pages are the same bytes for every reader and say what they show in an `xkey` header;
# the workers purge those keys when something changes (edgecache, EDGECACHE_PURGERS=varnish).
# Site-specific parts live in site.vcl beside this file: the backend(s), their health probe and
# the `purgers` ACL of the hosts allowed to purge.
#
# Needs varnish-modules (xkey): Debian's `varnish-modules` package, or the official image.
vcl 4.1;

import std;
import xkey;

include "site.vcl";

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # Soft: marked expired, kept for grace (served while refetched, or while the origin is
        # down). Hard: gone (a withdrawn article).
        if (req.http.xkey-purge) {
            set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        } elsif (req.http.xkey-softpurge) {
            set req.http.X-Purged = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "Send the keys in xkey-purge or xkey-softpurge"));
        }
        return (synth(200, "Purged " + req.http.X-Purged));
    }

    # Only this cache may ask the origin for includes to assemble.
    unset req.http.Surrogate-Capability;

    # Not the same for everyone: the admin, previews, health, writes, API clients with a
    # token and anyone logged in go to the origin as they are.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|preview)/" || req.url ~ "^/healthz") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }

    # Tracking parameters never change a page: one copy, not one per campaign.
    set req.url = regsuball(req.url, "(?i)(?<=[?&])(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)=[^&]*&?", "");
    set req.url = regsub(req.url, "[?&]+$", "");
    set req.url = std.querysort(req.url);

    # Cookies never choose the copy. They still reach the origin on a fetch (a per-reader
    # answer is private and never stored; public pages ignore them and set none).
    if (req.http.Cookie) {
        set req.http.X-Newsroom-Cookie = req.http.Cookie;
        unset req.http.Cookie;
    }

    # While the origin is healthy a stale copy is served only while it is refetched (the
    # pages' stale-while-revalidate); when it is down, for as long as grace keeps it.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    return (hash);
}

sub vcl_hash {
    # http:// answers are redirects to https://; never mix the two.
    hash_data(req.http.X-Forwarded-Proto);
    # The API answers browsers on the sites in CORS_ALLOWED_ORIGINS with headers naming the
    # site that asked: one copy per Origin (the public documents themselves vary on nothing).
    if (req.url ~ "^/api/") {
        hash_data(req.http.Origin);
    }
}

sub vcl_backend_fetch {
    if (bereq.http.X-Newsroom-Cookie) {
        set bereq.http.Cookie = bereq.http.X-Newsroom-Cookie;
        unset bereq.http.X-Newsroom-Cookie;
    }
    set bereq.http.Surrogate-Capability = {"varnish="ESI/1.0""};
}

sub vcl_backend_response {
    # A failed refetch keeps the stale copy in place (served while the origin is down).
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    if (beresp.http.Surrogate-Control ~ "ESI/1.0") {
        unset beresp.http.Surrogate-Control;
        set beresp.do_esi = true;
    }
    # Stale copies are kept as long as the pages' stale-if-error (EDGECACHE_STALE_IF_ERROR),
    # and a day more for conditional refetches (ETag, Last-Modified).
    set beresp.grace = 24h;
    set beresp.keep = 24h;
    if (beresp.http.Content-Type ~ "^(text/|application/(json|xml|rss\+xml|atom\+xml|javascript))") {
        set beresp.do_gzip = true;
    }
}

sub vcl_backend_error {
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    # The keys are for this cache (a CDN in front reads Surrogate-Key or Cache-Tag instead).
    unset resp.http.xkey;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0 && obj.ttl < 0s) {
        # A stale copy: a cache in front may keep it only for a moment.
        set resp.http.X-Cache = "STALE";
        set resp.http.Cache-Control = "public, max-age=0, s-maxage=5";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
