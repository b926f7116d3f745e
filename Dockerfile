# syntax=docker/dockerfile:1
# Voci in three stages: the web interface (Node), the binary that embeds it (Go), and a small
# runtime image that holds only the static binary and runs as a non-root user.
#
#   docker build -t voci .
#   docker run -p 8080:8080 -v voci-data:/data voci                       # embedded SQLite store
#   docker run -p 8080:8080 -e VOCI_MONGODB_URI=mongodb://mongo:27017/voci voci   # MongoDB
#   ... -e VOCI_MONGODB_URI=... -e VOCI_NATS_URL=nats://nats:4222 voci             # one of several instances

FROM node:20-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY internal ./internal
COPY seeds ./seeds
COPY frontend/frontend.go ./frontend/
# The audit log's words, which the page and the server's CSV export read alike.
COPY frontend/src/lib/audit/words.json ./frontend/src/lib/audit/
COPY --from=web /src/frontend/dist ./frontend/dist
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/voci ./cmd/voci \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/voci /usr/local/bin/voci
# The data directory holds the SQLite file (unused with MongoDB) and the demo password.
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV VOCI_ADDR=:8080 \
    VOCI_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/voci"]
CMD ["serve"]
