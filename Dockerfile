# ngoaivu in a container, from the Debian package (one way of installing,
# so the container runs exactly what `apt install` would):
#
#   scripts/package                 # target/debian/ngoaivu_VERSION-1_amd64.deb
#   docker build -t ngoaivu .
#   docker run -d --name ngoaivu -p 127.0.0.1:8080:8080 -v ngoaivu-data:/var/lib/ngoaivu ngoaivu
#   docker exec -i ngoaivu ngoaivu user add --org bo-ngoai-giao --role admin USERNAME
#
# Settings come from /etc/ngoaivu/ngoaivu.toml (mount your own) or the
# environment (-e NGOAIVU_…; secrets through NGOAIVU_DATABASE_URL_FILE and
# Docker secrets). The data lives in the volume /var/lib/ngoaivu.
FROM debian:bookworm-slim
COPY target/debian/ngoaivu_*.deb /tmp/
RUN apt-get update \
    && apt-get install -y --no-install-recommends /tmp/ngoaivu_*.deb \
    && rm -rf /var/lib/apt/lists/* /tmp/ngoaivu_*.deb
# Inside the container the server listens on every interface; publish the
# port on the host's loopback and put the reverse proxy in front.
ENV NGOAIVU_LISTEN=0.0.0.0:8080
USER ngoaivu
WORKDIR /var/lib/ngoaivu
VOLUME /var/lib/ngoaivu
EXPOSE 8080
# SIGTERM (docker stop): requests in flight finish, the database is flushed.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["ngoaivu", "healthcheck", "--url", "http://127.0.0.1:8080/readyz"]
CMD ["ngoaivu", "serve", "--config", "/etc/ngoaivu/ngoaivu.toml"]
