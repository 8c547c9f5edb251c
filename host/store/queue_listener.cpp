#include "store/queue_listener.hpp"

#include "store/store.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <cerrno>
#include <poll.h>

namespace holon::store {

QueueListener::QueueListener(std::string conninfo, std::function<void()> on_queued)
    : conninfo_(std::move(conninfo)), on_queued_(std::move(on_queued)), thread_([this] { loop(); }) {}

QueueListener::~QueueListener() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void QueueListener::loop() {
    while (!stop_) {
        // As the pool does: give up connecting after 5 s so that stopping never waits on a
        // database that does not answer (the configured string's own settings win).
        const char* keys[] = {"connect_timeout", "keepalives", "keepalives_idle", "dbname", nullptr};
        const char* values[] = {"5", "1", "30", conninfo_.c_str(), nullptr};
        PGconn* conn = PQconnectdbParams(keys, values, 1);
        bool listening = PQstatus(conn) == CONNECTION_OK;
        if (listening) {
            PGresult* result = PQexec(conn, (std::string("LISTEN ") + kQueueChannel).c_str());
            listening = PQresultStatus(result) == PGRES_COMMAND_OK;
            PQclear(result);
            // Runs may have been queued while this host was not listening.
            if (listening) on_queued_();
        }
        while (listening && !stop_) {
            // poll, not select: a busy server's descriptors may pass FD_SETSIZE (1024), and
            // FD_SET beyond it writes out of bounds.
            pollfd readable{PQsocket(conn), POLLIN, 0};
            if (::poll(&readable, 1, 500) < 0 && errno != EINTR) break;  // wake up to see stop_
            if (!PQconsumeInput(conn)) break;  // the connection dropped: reconnect
            bool queued = false;
            while (PGnotify* notification = PQnotifies(conn)) {
                queued = true;
                PQfreemem(notification);
            }
            if (queued) on_queued_();
        }
        PQfinish(conn);
        for (int i = 0; i < 10 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace holon::store
