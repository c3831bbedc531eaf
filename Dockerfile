# The tenet container image: a static binary (musl) on distroless/static (CA
# certificates, time zones, nothing else), run as its non-root user.
#   docker build -t tenet .
#   docker run --rm tenet demo
#   docker run --rm -v "$PWD:/work" -e GITHUB_TOKEN tenet scan --config tenet.toml
# The release workflow (.github/workflows/release.yml) publishes it to ghcr.io.

FROM rust:1.94-alpine3.22 AS build
# musl-dev (the C runtime objects the linker needs) is left unpinned: Alpine
# keeps only the current build of a package in a release's repository, so
# an exact pin breaks the build at its next security fix.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked --package tenet \
    && cp target/release/tenet /tenet

# The AWS SDK reads the system's CA certificates, which distroless/static has.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /tenet /usr/local/bin/tenet
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/tenet"]
CMD ["--help"]
