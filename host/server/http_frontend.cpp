#include "server/http_frontend.hpp"

#include "server/request_server.hpp"

#include "api/problem.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace holon::server {

namespace {

using Clock = std::chrono::steady_clock;

// A request head larger than this is refused (431) before a worker sees it.
constexpr std::size_t max_head_bytes = 16384;

Clock::duration seconds(double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); }

// Poco's server session, with the one question the front needs answered: did the client send
// more than the request just served (pipelining)? Those bytes sit in the session's buffer, where
// the front cannot see whether they form a complete head.
class Session : public Poco::Net::HTTPServerSession {
public:
    using HTTPServerSession::HTTPServerSession;
    bool has_buffered_input() const { return buffered() > 0; }
};

struct Connection {
    Poco::Net::StreamSocket socket;
    int fd = -1;
    std::string client;  // the address without the port
    std::unique_ptr<Session> session;
    Clock::time_point deadline;
    bool receiving = false;  // part of a request head arrived (header deadline, not idle)
    bool keep = false;       // the worker served a request and the connection may be reused
};

// A minimal answer written by the front itself (over plain TCP only), then the connection closes.
void send_raw(int fd, int status, const char* reason, const std::string& type, const std::string& detail,
              int retry_after) {
    api::ApiError error(status, "/problems/" + type, reason, detail);
    const std::string body = api::problem_json(error);
    std::string text = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                       "\r\nContent-Type: application/problem+json\r\nConnection: close\r\n"
                       "X-Content-Type-Options: nosniff\r\n";
    if (retry_after > 0) text += "Retry-After: " + std::to_string(retry_after) + "\r\n";
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    // Best effort, never blocking the front: a client that does not read just loses the answer.
    [[maybe_unused]] const auto sent = ::send(fd, text.data(), text.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
}

}  // namespace

struct HttpFrontend::Impl {
    JsonLog& log;
    FrontendOptions options;
    const api::Api* api = nullptr;
    std::unique_ptr<Poco::Net::ServerSocket> listener;
    Poco::Net::HTTPServerParams::Ptr params;
    bool tls = false;
    int port = 0;

    // Front thread state (touched by the front thread only, except `returned` under `mutex`).
    int epoll_fd = -1;
    int wake_fd = -1;
    std::unordered_map<int, std::shared_ptr<Connection>> waiting;  // fd -> connection in epoll
    std::map<std::string, int> per_client;
    int open_connections = 0;
    char peek_buffer[max_head_bytes];

    std::mutex mutex;
    std::condition_variable ready_cv;
    std::deque<std::shared_ptr<Connection>> ready;     // complete heads waiting for a worker
    std::vector<std::shared_ptr<Connection>> returned; // served by a worker, back to the front
    std::set<Connection*> in_workers;
    bool stop_workers = false;
    std::atomic<bool> draining{false};
    std::atomic<bool> stop_front{false};

    std::thread front;
    std::vector<std::thread> workers;

    explicit Impl(JsonLog& l, FrontendOptions o) : log(l), options(std::move(o)) {}

    void run_front();
    void accept_all();
    void readable(std::shared_ptr<Connection> c);
    void watch(std::shared_ptr<Connection> c, Clock::time_point deadline, bool receiving);
    void dispatch(std::shared_ptr<Connection> c);
    void close(std::shared_ptr<Connection> c);
    void take_returned();
    void wake();
    void run_worker();
    bool next_head_ready(Connection& c);
    void serve(Connection& c);
};

HttpFrontend::HttpFrontend(JsonLog& log, FrontendOptions options)
    : impl_(std::make_unique<Impl>(log, std::move(options))) {}

HttpFrontend::~HttpFrontend() {
    if (impl_->front.joinable()) stop(0);
    if (impl_->epoll_fd >= 0) ::close(impl_->epoll_fd);
    if (impl_->wake_fd >= 0) ::close(impl_->wake_fd);
}

void HttpFrontend::listen() {
    auto& o = impl_->options;
    const std::string where = o.host + ":" + std::to_string(o.port);
    impl_->tls = !o.tls_certificate.empty() || !o.tls_key.empty();
    try {
        if (impl_->tls) {
            if (o.tls_certificate.empty() || o.tls_key.empty())
                throw std::runtime_error("TLS needs both tls.certificate and tls.key");
            Poco::Net::initializeSSL();
            Poco::Net::Context::Ptr context = new Poco::Net::Context(
                Poco::Net::Context::TLS_SERVER_USE, o.tls_key, o.tls_certificate, "", Poco::Net::Context::VERIFY_NONE,
                9, false, "HIGH:!aNULL:!MD5:!RC4");
            context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
            context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                      Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
            impl_->listener = std::make_unique<Poco::Net::SecureServerSocket>(context);
        } else {
            impl_->listener = std::make_unique<Poco::Net::ServerSocket>();
        }
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("cannot set up TLS with certificate " + o.tls_certificate + " and key " + o.tls_key +
                                 ": " + e.displayText());
    }
    try {
        // SO_REUSEADDR only (restart while old connections linger); never SO_REUSEPORT, which
        // would let a second server silently take a share of the connections.
        impl_->listener->bind(Poco::Net::SocketAddress(o.host, static_cast<Poco::UInt16>(o.port)), true, false);
        impl_->listener->listen(std::max(64, o.queue));
    } catch (const Poco::Exception& e) {
        const bool in_use = dynamic_cast<const Poco::Net::NetException*>(&e) &&
                            e.displayText().find("in use") != std::string::npos;
        throw std::runtime_error("cannot listen on " + where + ": " +
                                 (in_use ? std::string("the address is already in use (another holon serve?)")
                                         : e.displayText()));
    }
    impl_->port = impl_->listener->address().port();
}

void HttpFrontend::start(const api::Api& api) {
    auto& impl = *impl_;
    impl.api = &api;
    if (!impl.listener) listen();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);
    params->setKeepAliveTimeout(Poco::Timespan(0, 0));  // the front waits for the next request
    // A worker's single read waits at most this (the head is normally complete before dispatch).
    params->setTimeout(Poco::Timespan(static_cast<long>(std::max(1.0, impl.options.header_seconds)), 0));
    impl.params = params;
    const int listen_fd = impl.listener->impl()->sockfd();
    ::fcntl(listen_fd, F_SETFL, ::fcntl(listen_fd, F_GETFL) | O_NONBLOCK);
    impl.epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
    impl.wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (impl.epoll_fd < 0 || impl.wake_fd < 0) throw std::runtime_error("epoll/eventfd failed");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = listen_fd;
    ::epoll_ctl(impl.epoll_fd, EPOLL_CTL_ADD, listen_fd, &ev);
    ev.data.fd = impl.wake_fd;
    ::epoll_ctl(impl.epoll_fd, EPOLL_CTL_ADD, impl.wake_fd, &ev);
    for (int i = 0; i < std::max(1, impl.options.threads); ++i) impl.workers.emplace_back([&impl] { impl.run_worker(); });
    impl.front = std::thread([&impl] { impl.run_front(); });
}

void HttpFrontend::stop(double drain_seconds) {
    auto& impl = *impl_;
    if (!impl.front.joinable()) return;
    impl.draining = true;  // the front stops accepting and closes idle connections
    impl.wake();
    {
        std::unique_lock lock(impl.mutex);
        impl.ready_cv.wait_for(lock, std::chrono::duration<double>(drain_seconds),
                               [&] { return impl.in_workers.empty() && impl.ready.empty(); });
        // Past the drain time: cut the connections still being served (event streams end too).
        for (auto* c : impl.in_workers) ::shutdown(c->fd, SHUT_RDWR);
        impl.stop_workers = true;
        impl.ready_cv.notify_all();
    }
    for (auto& t : impl.workers) t.join();
    impl.workers.clear();
    impl.stop_front = true;
    impl.wake();
    impl.front.join();
    for (auto& [fd, c] : impl.waiting) c->socket.close();
    impl.waiting.clear();
    for (auto& c : impl.ready) c->socket.close();
    impl.ready.clear();
    for (auto& c : impl.returned) c->socket.close();
    impl.returned.clear();
    impl.listener->close();
}

int HttpFrontend::port() const { return impl_->port; }
bool HttpFrontend::tls() const { return impl_->tls; }

void HttpFrontend::Impl::wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd, &one, sizeof one);
}

void HttpFrontend::Impl::run_front() {
    const int listen_fd = listener->impl()->sockfd();
    bool accepting = true;
    epoll_event events[128];
    auto next_sweep = Clock::now();
    while (!stop_front) {
        if (draining && accepting) {
            ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listen_fd, nullptr);
            accepting = false;
            std::vector<std::shared_ptr<Connection>> idle;
            for (auto& [fd, c] : waiting) idle.push_back(c);
            for (auto& c : idle) close(c);
        }
        const int n = ::epoll_wait(epoll_fd, events, 128, 100);
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == listen_fd) {
                if (accepting) accept_all();
            } else if (fd == wake_fd) {
                std::uint64_t count = 0;
                [[maybe_unused]] const auto r = ::read(wake_fd, &count, sizeof count);
                take_returned();
            } else if (auto it = waiting.find(fd); it != waiting.end()) {
                readable(it->second);
            }
        }
        const auto now = Clock::now();
        if (now >= next_sweep) {
            next_sweep = now + std::chrono::milliseconds(100);
            std::vector<std::shared_ptr<Connection>> expired;
            for (auto& [fd, c] : waiting)
                if (now >= c->deadline) expired.push_back(c);
            for (auto& c : expired) {
                if (c->receiving && !tls)
                    send_raw(c->fd, 408, "Request Timeout", "request-timeout",
                             "the request head must arrive within " +
                                 std::to_string(static_cast<int>(options.header_seconds)) + " seconds",
                             0);
                close(c);
            }
        }
    }
}

void HttpFrontend::Impl::accept_all() {
    // A bounded batch per wake-up: a flood of new connections must not keep the front from
    // serving the connections it already watches (the listener stays readable for the rest).
    for (int accepted = 0; accepted < 256; ++accepted) {
        Poco::Net::SocketAddress address;
        Poco::Net::StreamSocket socket;
        try {
            socket = listener->acceptConnection(address);
        } catch (const Poco::Exception&) {
            return;  // nothing more to accept now (EAGAIN), or the client already left
        }
        auto c = std::make_shared<Connection>();
        c->socket = socket;
        c->fd = socket.impl()->sockfd();
        c->client = address.host().toString();
        auto& count = per_client[c->client];
        if (count >= options.connections_per_client || open_connections >= options.max_connections) {
            if (!tls)
                send_raw(c->fd, 503, "Service Unavailable", "too-many-connections",
                         "this client address has too many open connections", 1);
            if (count == 0) per_client.erase(c->client);
            c->socket.close();
            continue;
        }
        ++count;
        ++open_connections;
        watch(c, Clock::now() + seconds(options.header_seconds), true);
    }
}

void HttpFrontend::Impl::watch(std::shared_ptr<Connection> c, Clock::time_point deadline, bool receiving) {
    c->deadline = deadline;
    c->receiving = receiving;
    waiting[c->fd] = c;
    epoll_event ev{};
    // Edge-triggered: the bytes stay in the socket (only peeked), so a level-triggered watch
    // would report the same half-sent head again and again.
    ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
    ev.data.fd = c->fd;
    if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c->fd, &ev) != 0) close(c);
}

void HttpFrontend::Impl::readable(std::shared_ptr<Connection> c) {
    if (tls) {
        // The bytes are encrypted: the worker does the handshake and reads the head under the
        // socket's receive timeout.
        dispatch(c);
        return;
    }
    const ssize_t n = ::recv(c->fd, peek_buffer, sizeof peek_buffer, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        close(c);
        return;
    }
    if (n < 0) return;
    const std::string_view head(peek_buffer, static_cast<std::size_t>(n));
    if (head.find("\r\n\r\n") != std::string_view::npos || head.find("\n\n") != std::string_view::npos) {
        dispatch(c);
    } else if (static_cast<std::size_t>(n) >= sizeof peek_buffer) {
        send_raw(c->fd, 431, "Request Header Fields Too Large", "header-too-large",
                 "the request head is larger than " + std::to_string(max_head_bytes) + " bytes", 0);
        close(c);
    } else if (!c->receiving) {
        c->receiving = true;
        c->deadline = Clock::now() + seconds(options.header_seconds);
    }
}

void HttpFrontend::Impl::dispatch(std::shared_ptr<Connection> c) {
    ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, nullptr);
    waiting.erase(c->fd);
    {
        std::lock_guard lock(mutex);
        if (ready.size() < static_cast<std::size_t>(std::max(1, options.queue))) {
            ready.push_back(c);
            ready_cv.notify_one();
            return;
        }
    }
    if (!tls) send_raw(c->fd, 503, "Service Unavailable", "server-busy", "every worker is busy; retry shortly", 1);
    close(c);
}

void HttpFrontend::Impl::close(std::shared_ptr<Connection> c) {
    if (waiting.erase(c->fd)) ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, nullptr);
    if (auto it = per_client.find(c->client); it != per_client.end() && --it->second <= 0) per_client.erase(it);
    --open_connections;
    c->session.reset();
    try {
        c->socket.close();
    } catch (const Poco::Exception&) {
    }
}

void HttpFrontend::Impl::take_returned() {
    std::vector<std::shared_ptr<Connection>> back;
    {
        std::lock_guard lock(mutex);
        back.swap(returned);
    }
    for (auto& c : back) {
        // Bytes already buffered by the session would be invisible to the front: a pipelining
        // client is answered one request and then closed (it retries on a new connection).
        if (!c->keep || draining || stop_front || (c->session && c->session->has_buffered_input()))
            close(c);
        else
            watch(c, Clock::now() + seconds(options.keep_alive_seconds), false);
    }
}

void HttpFrontend::Impl::run_worker() {
    for (;;) {
        std::shared_ptr<Connection> c;
        {
            std::unique_lock lock(mutex);
            ready_cv.wait(lock, [&] { return stop_workers || !ready.empty(); });
            if (stop_workers) return;
            c = std::move(ready.front());
            ready.pop_front();
            in_workers.insert(c.get());
        }
        serve(*c);
        // A busy keep-alive client usually sends its next request within a millisecond or two:
        // serving it here saves two thread hand-offs per request. Only a complete head is served
        // here, and only a short wait is spent on it, so slow or idle clients still go back to
        // the front; a bounded count keeps one client from holding a worker for ever.
        for (int more = 0; more < 100 && c->keep && !draining && next_head_ready(*c); ++more) serve(*c);
        {
            std::lock_guard lock(mutex);
            in_workers.erase(c.get());
            returned.push_back(std::move(c));
            ready_cv.notify_all();  // stop() waits for in_workers to empty
        }
        wake();
    }
}

bool HttpFrontend::Impl::next_head_ready(Connection& c) {
    if (tls || (c.session && c.session->has_buffered_input())) return false;
    pollfd p{c.fd, POLLIN, 0};
    if (::poll(&p, 1, 10) <= 0 || !(p.revents & POLLIN)) return false;
    thread_local char head[max_head_bytes];
    const ssize_t n = ::recv(c.fd, head, sizeof head, MSG_PEEK | MSG_DONTWAIT);
    if (n <= 0) return false;
    const std::string_view text(head, static_cast<std::size_t>(n));
    return text.find("\r\n\r\n") != std::string_view::npos || text.find("\n\n") != std::string_view::npos;
}

void HttpFrontend::Impl::serve(Connection& c) {
    c.keep = false;
    try {
        if (!c.session) {
            const long receive = static_cast<long>(std::max(1.0, std::min(options.header_seconds, options.body_seconds)));
            c.socket.setReceiveTimeout(Poco::Timespan(receive, 0));
            c.socket.setSendTimeout(Poco::Timespan(60, 0));
            c.socket.setNoDelay(true);
            c.session = std::make_unique<Session>(c.socket, params);
        }
        Poco::Net::HTTPServerResponseImpl response(*c.session);
        Poco::Net::HTTPServerRequestImpl request(response, *c.session, params.get());
        response.setDate(Poco::Timestamp());
        response.setVersion(request.getVersion());
        response.setKeepAlive(request.getKeepAlive() && !draining);
        serve_request(*api, log, options, tls, request, response);
        c.keep = response.getKeepAlive() && response.sent();
    } catch (const Poco::Net::NoMessageException&) {
        // The client closed the connection (or the TLS handshake failed).
    } catch (const Poco::Net::MessageException&) {
        if (!tls) send_raw(c.fd, 400, "Bad Request", "invalid-request", "the request is not valid HTTP/1.1", 0);
    } catch (const Poco::Exception&) {
        // Timeouts and resets: the connection is closed.
    } catch (const std::exception& e) {
        log.error("serving a request failed", {{"error", e.what()}});
    }
}

}  // namespace holon::server
