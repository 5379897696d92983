#include "config.h"

#include "app/capture_writer.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "store/answers.h"
#include "store/items.h"
#include "store/search_index.h"

#include <errno.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct capture_job *capture_job_new(enum capture_job_kind kind, const char *record,
                                    const char *item, const char *repeat_path)
{
    struct capture_job *j = xcalloc(1, sizeof *j);
    j->kind = kind;
    snprintf(j->record, sizeof j->record, "%s", record);
    snprintf(j->item, sizeof j->item, "%s", item);
    j->repeat_path = repeat_path ? xstrdup(repeat_path) : NULL;
    return j;
}

void capture_job_answer(struct capture_job *j, const char *field, const char *value)
{
    j->answers = xrealloc(j->answers, (j->nanswers + 1) * sizeof *j->answers);
    j->answers[j->nanswers++] =
        (struct capture_answer){xstrdup(field), value ? xstrdup(value) : NULL};
}

void capture_job_free(struct capture_job **jp)
{
    struct capture_job *j = *jp;
    if (!j)
        return;
    for (size_t i = 0; i < j->nanswers; i++) {
        free(j->answers[i].field);
        free(j->answers[i].value);
    }
    free(j->answers);
    free(j->repeat_path);
    free(j->error);
    free(j);
    *jp = NULL;
}

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bool capture_job_run(struct store *s, struct capture_job *j)
{
    struct error err = ERROR_INIT;
    int64_t t0 = mono_us();
    bool ok = store_batch_begin(s, &err);
    if (ok) {
        if (j->kind == CAPTURE_JOB_ADD)
            ok = store_item_add_uuid(s, j->record, "", j->repeat_path, j->item, &err);
        for (size_t i = 0; ok && i < j->nanswers; i++)
            ok = store_answer_set(s, j->record, j->item, j->answers[i].field,
                                  j->answers[i].value, &err);
        if (ok && j->kind == CAPTURE_JOB_DELETE)
            ok = store_item_delete(s, j->item, &err);
        /* the first failure's message is the one to show */
        struct error end_err = ERROR_INIT;
        ok = store_batch_end(s, ok, ok ? &err : &end_err);
        error_clear(&end_err);
    }
    j->elapsed_us = mono_us() - t0;
    j->ok = ok;
    free(j->error);
    j->error = ok ? NULL : error_format(&err);
    error_clear(&err);
    return ok;
}

/* ---- the writer thread ---------------------------------------------------- */

/* A FIFO of jobs. */
struct job_queue {
    struct capture_job **v;
    size_t head, n, cap;
};

static void queue_push(struct job_queue *q, struct capture_job *j)
{
    if (q->head + q->n == q->cap) {
        if (q->head > 0) {
            memmove(q->v, q->v + q->head, q->n * sizeof *q->v);
            q->head = 0;
        } else {
            q->cap = q->cap ? 2 * q->cap : 16;
            q->v = xrealloc(q->v, q->cap * sizeof *q->v);
        }
    }
    q->v[q->head + q->n++] = j;
}

static struct capture_job *queue_pop(struct job_queue *q)
{
    if (!q->n)
        return NULL;
    q->n--;
    return q->v[q->head++];
}

static void queue_free(struct job_queue *q)
{
    struct capture_job *j;
    while ((j = queue_pop(q)))
        capture_job_free(&j);
    free(q->v);
}

struct capture_writer {
    struct store *store; /* used by the thread only */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* a job came, or stop */
    pthread_cond_t idle; /* a job ran */
    struct job_queue todo, done;
    bool running; /* the thread has a job in hand */
    bool stop;
};

void capture_job_idle(struct store *s)
{
    store_search_tidy(s, NULL);
    if (store_checkpoint_due(s))
        store_checkpoint(s, NULL);
}

static void *writer_main(void *arg)
{
    struct capture_writer *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        struct capture_job *j = queue_pop(&w->todo);
        if (!j) {
            if (w->stop)
                break;
            pthread_cond_wait(&w->wake, &w->lock);
            continue;
        }
        w->running = true;
        pthread_mutex_unlock(&w->lock);
        capture_job_run(w->store, j);
        pthread_mutex_lock(&w->lock);
        w->running = false;
        queue_push(&w->done, j);
        pthread_cond_broadcast(&w->idle);
        if (!w->todo.n && !w->stop) {
            pthread_mutex_unlock(&w->lock);
            capture_job_idle(w->store);
            pthread_mutex_lock(&w->lock);
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct capture_writer *capture_writer_start(const struct store *st, struct error *err)
{
    struct store *s = store_open_peer(st, err);
    if (!s)
        return NULL;
    store_defer_checkpoints(s);
    struct capture_writer *w = xcalloc(1, sizeof *w);
    w->store = s;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    pthread_cond_init(&w->idle, NULL);
    int rc = pthread_create(&w->thread, NULL, writer_main, w);
    if (rc != 0) {
        error_set(err, _("cannot start the note writer: %s"), strerror(rc));
        pthread_cond_destroy(&w->idle);
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        store_close(&w->store);
        free(w);
        return NULL;
    }
    return w;
}

void capture_writer_submit(struct capture_writer *w, struct capture_job *j)
{
    pthread_mutex_lock(&w->lock);
    queue_push(&w->todo, j);
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

struct capture_job *capture_writer_take(struct capture_writer *w)
{
    pthread_mutex_lock(&w->lock);
    struct capture_job *j = queue_pop(&w->done);
    pthread_mutex_unlock(&w->lock);
    return j;
}

size_t capture_writer_pending(struct capture_writer *w)
{
    pthread_mutex_lock(&w->lock);
    size_t n = w->todo.n + (w->running ? 1 : 0);
    pthread_mutex_unlock(&w->lock);
    return n;
}

bool capture_writer_drain(struct capture_writer *w, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    if (timeout_ms > 0) {
        until.tv_sec += timeout_ms / 1000;
        until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&w->lock);
    int rc = 0;
    while ((w->todo.n || w->running) && rc != ETIMEDOUT) {
        if (timeout_ms < 0)
            pthread_cond_wait(&w->idle, &w->lock);
        else
            rc = pthread_cond_timedwait(&w->idle, &w->lock, &until);
    }
    bool empty = !w->todo.n && !w->running;
    pthread_mutex_unlock(&w->lock);
    return empty;
}

void capture_writer_stop(struct capture_writer **wp)
{
    struct capture_writer *w = *wp;
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    queue_free(&w->todo);
    queue_free(&w->done);
    pthread_cond_destroy(&w->idle);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    store_close(&w->store);
    free(w);
    *wp = NULL;
}
