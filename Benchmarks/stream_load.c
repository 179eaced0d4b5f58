/* A load generator for streamed completions, in C so that the client is not what is measured:
 * STREAMS connections at once, each asking again as soon as its stream ends, for SECONDS, with
 * one thread and epoll; prints tokens/s over all streams, the time to first token (p50, p99,
 * ms, from the start of the connection to the read that brought the first token) and the failed
 * streams. A token is an event whose choice has "finish_reason": null. The same requests and
 * output as Benchmarks/stream_load.py, which measures its own scheduling on a 2-core machine
 * (README, Performance). Used by Benchmarks/serve-bench.sh.
 *
 *     cc -O2 -o stream_load stream_load.c && ./stream_load HOST:PORT MODEL STREAMS TOKENS SECONDS
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct stream {
    int fd;
    double start, first;
    char *data;
    size_t length, capacity;
    int sent;
};

static char request[1024];
static size_t request_length;
static struct sockaddr_in address;
static int tokens_asked, epoll_fd, keep_alive;
static double *firsts;
static size_t first_count, first_capacity;
static long tokens_total, failures;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Occurrences of a token's marker in data[from..length), both JSON spacings. */
static long count_tokens(const char *data, size_t from, size_t length) {
    static const char *markers[] = {"\"finish_reason\":null", "\"finish_reason\": null"};
    long n = 0;
    for (int m = 0; m < 2; m++) {
        size_t k = strlen(markers[m]);
        for (size_t i = from; i + k <= length; i++)
            if (data[i] == '"' && memcmp(data + i, markers[m], k) == 0) n++;
    }
    return n;
}

/* The next request on the kept connection. */
static void ask_again(struct stream *s) {
    s->start = now();
    s->first = -1;
    s->length = 0;
    if (write(s->fd, request, request_length) != (ssize_t)request_length) { perror("write"); exit(1); }
}

static void open_stream(struct stream *s) {
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    s->start = now();
    s->first = -1;
    s->length = 0;
    s->sent = 0;
    if (connect(s->fd, (struct sockaddr *)&address, sizeof address) != 0 && errno != EINPROGRESS) {
        perror("connect");
        exit(1);
    }
    struct epoll_event e = {.events = EPOLLOUT | EPOLLIN, .data.ptr = s};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, s->fd, &e);
}

/* Whether the response in s->data has ended: its last chunk (chunked transfer coding). */
static int response_ended(const struct stream *s) {
    return s->length >= 5 && memcmp(s->data + s->length - 5, "0\r\n\r\n", 5) == 0;
}

/* Counts the stream's tokens and its time to the first one. */
static void record(struct stream *s) {
    long n = count_tokens(s->data, 0, s->length);
    int done = s->length >= 6 && memmem(s->data, s->length, "[DONE]", 6) != NULL;
    if (n != tokens_asked || !done || s->first < 0) {
        failures++;
        return;
    }
    tokens_total += n;
    if (first_count == first_capacity) {
        first_capacity = first_capacity ? 2 * first_capacity : 1024;
        firsts = realloc(firsts, first_capacity * sizeof *firsts);
    }
    firsts[first_count++] = s->first - s->start;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc == 7 && strcmp(argv[6], "keep-alive") == 0) keep_alive = 1;
    else if (argc != 6) {
        fprintf(stderr, "usage: %s HOST:PORT MODEL STREAMS TOKENS SECONDS [keep-alive]\n", argv[0]);
        return 2;
    }
    char host[256];
    const char *colon = strrchr(argv[1], ':');
    if (!colon || colon - argv[1] >= (long)sizeof host) return 2;
    memcpy(host, argv[1], colon - argv[1]);
    host[colon - argv[1]] = 0;
    address.sin_family = AF_INET;
    address.sin_port = htons(atoi(colon + 1));
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
        fprintf(stderr, "stream_load: %s is not an IPv4 address\n", host);
        return 2;
    }
    int streams = atoi(argv[3]);
    tokens_asked = atoi(argv[4]);
    double seconds = atof(argv[5]);
    char body[256];
    int body_length = snprintf(body, sizeof body,
                               "{\"model\": \"%s\", \"prompt\": \"th\", \"max_tokens\": %d, \"temperature\": 0.8, \"stream\": true}",
                               argv[2], tokens_asked);
    request_length = snprintf(request, sizeof request,
                              "POST /v1/completions HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                              "Content-Length: %d\r\n%s\r\n%s", argv[1], body_length, keep_alive ? "" : "Connection: close\r\n", body);
    epoll_fd = epoll_create1(0);
    struct stream *all = calloc(streams, sizeof *all);
    double begin = now(), deadline = begin + seconds;
    for (int i = 0; i < streams; i++) open_stream(&all[i]);
    int open = streams;
    struct epoll_event events[64];
    while (open > 0) {
        int n = epoll_wait(epoll_fd, events, 64, 100);
        for (int k = 0; k < n; k++) {
            struct stream *s = events[k].data.ptr;
            if (!s->sent && (events[k].events & EPOLLOUT)) {
                if (write(s->fd, request, request_length) != (ssize_t)request_length) { perror("write"); return 1; }
                s->sent = 1;
                struct epoll_event e = {.events = EPOLLIN, .data.ptr = s};
                epoll_ctl(epoll_fd, EPOLL_CTL_MOD, s->fd, &e);
            }
            if (!(events[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
            for (;;) {
                if (s->capacity - s->length < 65536) {
                    s->capacity = s->capacity ? 2 * s->capacity : 131072;
                    s->data = realloc(s->data, s->capacity);
                }
                ssize_t got = read(s->fd, s->data + s->length, s->capacity - s->length);
                if (got > 0) {
                    size_t from = s->length > 32 ? s->length - 32 : 0;
                    s->length += got;
                    if (s->first < 0 && count_tokens(s->data, from, s->length) > 0) s->first = now();
                    if (keep_alive && response_ended(s)) {
                        record(s);
                        if (now() < deadline) ask_again(s);
                        else { epoll_ctl(epoll_fd, EPOLL_CTL_DEL, s->fd, NULL); close(s->fd); open--; break; }
                    }
                    continue;
                }
                if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
                epoll_ctl(epoll_fd, EPOLL_CTL_DEL, s->fd, NULL);
                close(s->fd);
                if (keep_alive) { failures++; open--; break; }   /* a kept connection closed by the server */
                record(s);   /* the end (Connection: close), or an error */
                if (now() < deadline) open_stream(s); else open--;
                break;
            }
        }
    }
    double elapsed = now() - begin;
    qsort(firsts, first_count, sizeof *firsts, compare);
    double p50 = first_count ? 1000 * firsts[(size_t)(0.5 * first_count)] : 0;
    double p99 = first_count ? 1000 * firsts[(size_t)(0.99 * first_count)] : 0;
    printf("%.0f %.2f %.2f %ld\n", tokens_total / elapsed, p50, p99, failures);
    return 0;
}
