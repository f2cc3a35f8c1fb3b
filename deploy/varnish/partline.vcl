vcl 4.1;
# Varnish in front of Partline (gunicorn or nginx). Needs varnish-modules for xkey.
#
# Anonymous catalog pages (part, category, manufacturer; English and /zh-hans/) are kept
# as long as their s-maxage says and served stale while refetched (stale-while-revalidate
# becomes grace). The store purges a changed part's pages by surrogate key:
#   PURGE / with "xkey-purge: part-123 category-4 manufacturer-7"  (settings
#   HTTP_CACHE_PURGE_URLS = http://127.0.0.1:6081/), accepted from the purge ACL only.
# A request with a session or csrftoken cookie (a signed-in customer, a cart) and every
# request that is not GET/HEAD goes straight to the store and is never stored.

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

acl purge {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purge) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone + " objects"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Tracking cookies mean nothing to the store: drop them so the page can be shared.
    if (req.http.Cookie) {
        set req.http.Cookie = regsuball(req.http.Cookie,
            "(^|;\s*)(_ga[^=]*|_gid|_gcl_[^=]*|_fbp|_hj[^=]*|utm_[^=]*|Hm_[^=]*)=[^;]*", "");
        set req.http.Cookie = regsub(req.http.Cookie, "^;\s*", "");
        if (req.http.Cookie ~ "^\s*$") {
            unset req.http.Cookie;
        }
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Other cookies the store reads (the saved language) stay: pages vary on Cookie.
    return (hash);
}

sub vcl_backend_response {
    # Only what the store marks shared is kept; private, no-store and cookie-setting
    # answers are passed on and remembered as uncacheable for a short while.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-store|no-cache)"
        || beresp.http.Cache-Control !~ "public") {
        set beresp.uncacheable = true;
        set beresp.ttl = 30s;
        return (deliver);
    }
    # Varnish reads s-maxage into beresp.ttl itself; stale-while-revalidate becomes grace.
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=[0-9]+") {
        set beresp.grace = std.duration(regsub(beresp.http.Cache-Control,
            ".*stale-while-revalidate=([0-9]+).*", "\1") + "s", 0s);
    }
    # The store's own max-age=0 is for browsers, which revalidate with the ETag.
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Surrogate keys are for this cache and the store; browsers need not see them.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
}
