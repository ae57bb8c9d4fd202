/*
 * kvp_driver: the kernel side of /dev/vmbus/hv_kvp for the kvp-c benchmark, in C like the
 * load driver behind the baseline of spec/quirks.md, so the round trip costs the driver as
 * little as possible. It listens on a SOCK_SEQPACKET socket (the simulator's device, see
 * SeqPacketTransport), answers hvutilsd's REGISTER1 with "3.1" (spec/transport.md §7.1),
 * then runs commands read from stdin, one per line:
 *
 *   run DAEMON_PID REQUEST_FILE COUNT   send COUNT requests round-robin from REQUEST_FILE
 *                                       (whole 7432-byte hv_kvp_msg each), one blocking send
 *                                       and one blocking recv per round trip; prints
 *                                       "ok OPS_PER_S P50_US P99_US DAEMON_CPU_US DRIVER_CPU_US"
 *   quit
 *
 * Built by the benchmark with gcc -O2 at run time (KvpCDriver.cs).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MSG_SIZE 7432
#define HV_S_CONT 0x80070103u
#define WARMUP 1000

static void die(const char *what)
{
    printf("error %s: %s\n", what, strerror(errno));
    fflush(stdout);
    exit(1);
}

static int64_t now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Time on CPU of every thread of a process: /proc/PID/task/ * /schedstat, first field (ns). */
static int64_t process_cpu_ns(int pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int64_t sum = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char stat_path[320];
        snprintf(stat_path, sizeof stat_path, "/proc/%d/task/%s/schedstat", pid, e->d_name);
        FILE *f = fopen(stat_path, "r");
        if (!f)
            continue;
        long long ns;
        if (fscanf(f, "%lld", &ns) == 1)
            sum += ns;
        fclose(f);
    }
    closedir(d);
    return sum;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void round_trip(int fd, const unsigned char *request, unsigned char *reply)
{
    if (send(fd, request, MSG_SIZE, 0) != MSG_SIZE)
        die("send");
    ssize_t n = recv(fd, reply, MSG_SIZE + 1, 0);
    if (n != MSG_SIZE)
        die("recv");
    uint32_t status;
    memcpy(&status, reply, 4);
    if (status != 0 && status != HV_S_CONT) {
        printf("error reply status 0x%08x\n", status);
        fflush(stdout);
        exit(1);
    }
}

static void run(int fd, int daemon_pid, const char *file, long count)
{
    FILE *f = fopen(file, "rb");
    if (!f)
        die("open request file");
    struct stat st;
    if (fstat(fileno(f), &st) < 0 || st.st_size < MSG_SIZE || st.st_size % MSG_SIZE)
        die("request file size");
    long requests = st.st_size / MSG_SIZE;
    unsigned char *buf = malloc(st.st_size);
    if (!buf || fread(buf, 1, st.st_size, f) != (size_t)st.st_size)
        die("read request file");
    fclose(f);
    static unsigned char reply[MSG_SIZE + 1];
    int64_t *samples = malloc(sizeof(int64_t) * count);
    if (!samples)
        die("malloc");

    for (long i = 0; i < WARMUP; i++)
        round_trip(fd, buf + (i % requests) * MSG_SIZE, reply);

    int64_t daemon_before = process_cpu_ns(daemon_pid);
    int64_t self_before = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    int64_t start = now_ns(CLOCK_MONOTONIC);
    for (long i = 0; i < count; i++) {
        int64_t t = now_ns(CLOCK_MONOTONIC);
        round_trip(fd, buf + (i % requests) * MSG_SIZE, reply);
        samples[i] = now_ns(CLOCK_MONOTONIC) - t;
    }
    int64_t elapsed = now_ns(CLOCK_MONOTONIC) - start;
    int64_t self_cpu = now_ns(CLOCK_PROCESS_CPUTIME_ID) - self_before;
    int64_t daemon_cpu = process_cpu_ns(daemon_pid) - daemon_before;

    qsort(samples, count, sizeof(int64_t), cmp_i64);
    long p50 = (count * 50 + 99) / 100 - 1, p99 = (count * 99 + 99) / 100 - 1;
    printf("ok %.0f %.2f %.2f %.3f %.3f\n", count * 1e9 / elapsed, samples[p50] / 1e3, samples[p99] / 1e3,
           daemon_cpu / 1e3 / count, self_cpu / 1e3 / count);
    fflush(stdout);
    free(samples);
    free(buf);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: kvp_driver SOCKET_PATH\n");
        return 2;
    }
    int listener = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    strncpy(addr.sun_path, argv[1], sizeof addr.sun_path - 1);
    if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(listener, 1) < 0)
        die("listen");
    printf("listening\n");
    fflush(stdout);

    int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        die("accept");
    static unsigned char msg[MSG_SIZE + 1];
    ssize_t n = recv(fd, msg, sizeof msg, 0);
    if (n != MSG_SIZE || msg[0] != 100) {
        printf("error registration of %zd bytes, operation %d\n", n, msg[0]);
        return 1;
    }
    memset(msg, 0, sizeof msg);
    msg[0] = 100;
    memcpy(msg + 4, "3.1", 3);
    if (send(fd, msg, MSG_SIZE, 0) != MSG_SIZE)
        die("send registration reply");
    printf("registered\n");
    fflush(stdout);

    char line[4096], file[4000];
    while (fgets(line, sizeof line, stdin)) {
        int pid;
        long count;
        if (sscanf(line, "run %d %3999s %ld", &pid, file, &count) == 3 && count > 0)
            run(fd, pid, file, count);
        else if (strncmp(line, "quit", 4) == 0)
            break;
        else {
            printf("error unknown command\n");
            fflush(stdout);
        }
    }
    close(fd);
    close(listener);
    return 0;
}
