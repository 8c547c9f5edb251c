// Wakes a host when any host queues a run in a shared PostgreSQL store: LISTEN on the store's
// queue channel (kQueueChannel), so idle job engines claim at once instead of at their next poll.
// The poll stays as the fallback (a notification can be lost while the connection is down).
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace holon::store {

class QueueListener {
public:
    // Connects to `conninfo` on a thread of its own and calls on_queued (on that thread) for
    // every notification; reconnects after a second when the connection drops.
    QueueListener(std::string conninfo, std::function<void()> on_queued);
    QueueListener(const QueueListener&) = delete;
    QueueListener& operator=(const QueueListener&) = delete;
    ~QueueListener();  // stops and joins the thread (within about half a second)

private:
    void loop();

    std::string conninfo_;
    std::function<void()> on_queued_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace holon::store
