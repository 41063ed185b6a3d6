# This site's backends and purgers, for deploy/varnish/default.vcl (docker-compose.yml's
# services; see docs/deployment.md to run elsewhere).

backend web {
    .host = "web";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    # The load balancers' health check: 503 only when web's database does not answer (then
    # stale copies are served), never for Redis or beat (docs/deployment.md, "Health checks");
    # "web" is in the web service's ALLOWED_HOSTS (docker-compose.yml).
    .probe = {
        .request = "GET /healthz HTTP/1.1"
            "Host: web"
            "Connection: close"
            "User-Agent: varnish-probe";
        .interval = 2s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
    }
}

# Who may purge: the app hosts on the stack's own network (docker-compose.yml, 172.30.240.0/24),
# not its gateway, through which the TLS proxy on the host reaches Varnish with readers' requests.
acl purgers {
    "172.30.240.0"/24;
    ! "172.30.240.1";
    "localhost";
}
