#include "store/queue_listener.hpp"

#include "store/store.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <sys/select.h>

namespace holon::store {

QueueListener::QueueListener(std::string conninfo, std::function<void()> on_queued)
    : conninfo_(std::move(conninfo)), on_queued_(std::move(on_queued)), thread_([this] { loop(); }) {}

QueueListener::~QueueListener() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void QueueListener::loop() {
    while (!stop_) {
        PGconn* conn = PQconnectdb(conninfo_.c_str());
        bool listening = PQstatus(conn) == CONNECTION_OK;
        if (listening) {
            PGresult* result = PQexec(conn, (std::string("LISTEN ") + kQueueChannel).c_str());
            listening = PQresultStatus(result) == PGRES_COMMAND_OK;
            PQclear(result);
            // Runs may have been queued while this host was not listening.
            if (listening) on_queued_();
        }
        while (listening && !stop_) {
            const int socket = PQsocket(conn);
            fd_set readable;
            FD_ZERO(&readable);
            FD_SET(socket, &readable);
            timeval timeout{0, 500'000};  // wake up to see stop_
            if (select(socket + 1, &readable, nullptr, nullptr, &timeout) < 0) break;
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
