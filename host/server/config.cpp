#include "server/config.hpp"

#include "store/store.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <sstream>

extern char** environ;

namespace holon::server {

namespace {

struct Key {
    std::string name;
    std::function<void(ServerConfig&, const std::string&)> set;
    std::function<std::string(const ServerConfig&)> get;
};

std::int64_t to_int(const std::string& text) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) throw ConfigError("not an integer: '" + text + "'");
    return v;
}

double to_double(const std::string& text) {
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size()) throw ConfigError("not a number: '" + text + "'");
    return v;
}

bool to_bool(const std::string& text) {
    if (text == "true" || text == "1" || text == "yes") return true;
    if (text == "false" || text == "0" || text == "no") return false;
    throw ConfigError("not a boolean: '" + text + "'");
}

std::string number(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

std::vector<std::string> split_paths(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ':'))
        if (!part.empty()) out.push_back(part);
    return out;
}

template <class T>
Key int_key(std::string name, T ServerConfig::Limits::*field, std::int64_t min) {
    return {name,
            [field, min, name](ServerConfig& c, const std::string& v) {
                const auto n = to_int(v);
                if (n < min) throw ConfigError(name + " must be at least " + std::to_string(min));
                c.limits.*field = static_cast<T>(n);
            },
            [field](const ServerConfig& c) { return std::to_string(c.limits.*field); }};
}

Key double_key(std::string name, double ServerConfig::Limits::*field) {
    return {name,
            [field, name](ServerConfig& c, const std::string& v) {
                const auto n = to_double(v);
                if (!(n > 0)) throw ConfigError(name + " must be positive");
                c.limits.*field = n;
            },
            [field](const ServerConfig& c) { return number(c.limits.*field); }};
}

Key seconds_key(std::string name, double ServerConfig::*field) {
    return {name,
            [field, name](ServerConfig& c, const std::string& v) {
                const auto n = to_double(v);
                if (!(n > 0) || n > 86400) throw ConfigError(name + " must be more than 0 and at most 86400");
                c.*field = n;
            },
            [field](const ServerConfig& c) { return number(c.*field); }};
}

const std::vector<Key>& keys() {
    static const std::vector<Key> all = {
        {"listen", [](ServerConfig& c, const std::string& v) { c.listen = v; c.port(); },
         [](const ServerConfig& c) { return c.listen; }},
        {"data", [](ServerConfig& c, const std::string& v) { c.data = v; }, [](const ServerConfig& c) { return c.data; }},
        {"store",
         [](ServerConfig& c, const std::string& v) {
             if (!v.empty() && !store::is_postgres_location(v))
                 throw ConfigError("store must be empty (the embedded SQLite database in data) or a postgresql:// URI");
             c.store = v;
         },
         [](const ServerConfig& c) { return c.store; }},
        {"batches", [](ServerConfig& c, const std::string& v) { c.batches = v; },
         [](const ServerConfig& c) { return c.batches; }},
        {"plugin_paths", [](ServerConfig& c, const std::string& v) { c.plugin_paths = split_paths(v); },
         [](const ServerConfig& c) {
             std::string out;
             for (const auto& p : c.plugin_paths) out += (out.empty() ? "" : ":") + p;
             return out;
         }},
        {"http_threads",
         [](ServerConfig& c, const std::string& v) {
             c.http_threads = static_cast<int>(to_int(v));
             if (c.http_threads < 2) throw ConfigError("http_threads must be at least 2");
         },
         [](const ServerConfig& c) { return std::to_string(c.http_threads); }},
        {"http_queue",
         [](ServerConfig& c, const std::string& v) {
             c.http_queue = static_cast<int>(to_int(v));
             if (c.http_queue < 1) throw ConfigError("http_queue must be at least 1");
         },
         [](const ServerConfig& c) { return std::to_string(c.http_queue); }},
        {"workers",
         [](ServerConfig& c, const std::string& v) {
             c.workers = static_cast<int>(to_int(v));
             if (c.workers < 1) throw ConfigError("workers must be at least 1");
         },
         [](const ServerConfig& c) { return std::to_string(c.workers); }},
        {"batch_jobs",
         [](ServerConfig& c, const std::string& v) {
             c.batch_jobs = static_cast<int>(to_int(v));
             if (c.batch_jobs < 0) throw ConfigError("batch_jobs must not be negative");
         },
         [](const ServerConfig& c) { return std::to_string(c.batch_jobs); }},
        {"auth_cache_seconds",
         [](ServerConfig& c, const std::string& v) {
             c.auth_cache_seconds = to_double(v);
             if (!(c.auth_cache_seconds >= 0)) throw ConfigError("auth_cache_seconds must not be negative");
         },
         [](const ServerConfig& c) { return number(c.auth_cache_seconds); }},
        {"lease_seconds",
         [](ServerConfig& c, const std::string& v) {
             c.lease_seconds = to_double(v);
             if (!(c.lease_seconds >= 1)) throw ConfigError("lease_seconds must be at least 1");
         },
         [](const ServerConfig& c) { return number(c.lease_seconds); }},
        {"drain_seconds",
         [](ServerConfig& c, const std::string& v) {
             c.drain_seconds = to_double(v);
             if (!(c.drain_seconds >= 0)) throw ConfigError("drain_seconds must not be negative");
         },
         [](const ServerConfig& c) { return number(c.drain_seconds); }},
        {"log_requests", [](ServerConfig& c, const std::string& v) { c.log_requests = to_bool(v); },
         [](const ServerConfig& c) { return std::string(c.log_requests ? "true" : "false"); }},
        seconds_key("http_header_seconds", &ServerConfig::http_header_seconds),
        seconds_key("http_body_seconds", &ServerConfig::http_body_seconds),
        seconds_key("http_keep_alive_seconds", &ServerConfig::http_keep_alive_seconds),
        {"http_connections_per_client",
         [](ServerConfig& c, const std::string& v) {
             c.http_connections_per_client = static_cast<int>(to_int(v));
             if (c.http_connections_per_client < 1) throw ConfigError("http_connections_per_client must be at least 1");
         },
         [](const ServerConfig& c) { return std::to_string(c.http_connections_per_client); }},
        {"tls.certificate", [](ServerConfig& c, const std::string& v) { c.tls.certificate = v; },
         [](const ServerConfig& c) { return c.tls.certificate; }},
        {"tls.key", [](ServerConfig& c, const std::string& v) { c.tls.key = v; },
         [](const ServerConfig& c) { return c.tls.key; }},
        int_key("limits.body_bytes", &ServerConfig::Limits::body_bytes, 1024),
        int_key("limits.model_bytes", &ServerConfig::Limits::model_bytes, 1024),
        int_key("limits.runs_in_flight", &ServerConfig::Limits::runs_in_flight, 1),
        double_key("limits.run_seconds", &ServerConfig::Limits::run_seconds),
        double_key("limits.run_memory_mb", &ServerConfig::Limits::run_memory_mb),
        int_key("limits.page_size", &ServerConfig::Limits::page_size, 1),
        int_key("limits.max_page_size", &ServerConfig::Limits::max_page_size, 1),
        double_key("limits.max_wait_seconds", &ServerConfig::Limits::max_wait_seconds),
        int_key("limits.heavy_requests", &ServerConfig::Limits::heavy_requests, 1),
        int_key("limits.workspace_bytes", &ServerConfig::Limits::workspace_bytes, 0),
    };
    return all;
}

std::string env_name(const std::string& key) {
    std::string out = "HOLON_";
    for (char c : key) out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

const Key& find_key(const std::string& name, const std::string& origin) {
    for (const auto& k : keys())
        if (k.name == name) return k;
    throw ConfigError(origin + ": unknown setting '" + name + "'");
}

void apply(ServerConfig& config, const Key& key, const std::string& value, const std::string& origin) {
    try {
        key.set(config, value);
    } catch (const ConfigError& e) {
        throw ConfigError(origin + ": " + key.name + ": " + e.what());
    }
}

void read_yaml(ServerConfig& config, const YAML::Node& node, const std::string& prefix, const std::string& file) {
    if (!node.IsMap()) throw ConfigError(file + ": " + (prefix.empty() ? "the file" : prefix) + " must be a mapping");
    for (const auto& kv : node) {
        const std::string name = prefix + kv.first.as<std::string>();
        if (kv.second.IsMap()) {
            read_yaml(config, kv.second, name + ".", file);
        } else if (kv.second.IsSequence()) {
            std::string joined;
            for (const auto& item : kv.second) joined += (joined.empty() ? "" : ":") + item.as<std::string>();
            apply(config, find_key(name, file), joined, file);
        } else {
            apply(config, find_key(name, file), kv.second.as<std::string>(), file);
        }
    }
}

}  // namespace

std::string ServerConfig::host() const {
    const auto colon = listen.rfind(':');
    return colon == std::string::npos ? std::string() : listen.substr(0, colon);
}

int ServerConfig::port() const {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0) throw ConfigError("listen must be HOST:PORT, not '" + listen + "'");
    const auto port = to_int(listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw ConfigError("listen port out of range in '" + listen + "'");
    return static_cast<int>(port);
}

ServerConfig load_config(const std::string& file, const std::map<std::string, std::string>& environment) {
    ServerConfig config;
    if (!file.empty()) {
        YAML::Node root;
        try {
            root = YAML::LoadFile(file);
        } catch (const YAML::Exception& e) {
            throw ConfigError(file + ": " + e.what());
        }
        if (!root.IsNull()) read_yaml(config, root, "", file);
    }
    for (const auto& key : keys()) {
        const auto name = env_name(key.name);
        if (auto it = environment.find(name); it != environment.end()) apply(config, key, it->second, name);
    }
    if (config.limits.page_size > config.limits.max_page_size)
        throw ConfigError("limits.page_size must not exceed limits.max_page_size");
    return config;
}

std::map<std::string, std::string> holon_environment() {
    std::map<std::string, std::string> out;
    for (char** e = environ; e && *e; ++e) {
        const std::string entry(*e);
        if (entry.rfind("HOLON_", 0) != 0) continue;
        const auto eq = entry.find('=');
        if (eq != std::string::npos) out[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    return out;
}

std::string to_yaml(const ServerConfig& config) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    // Dotted keys (limits.body_bytes, tls.key) are written nested; each group's keys are adjacent.
    std::string group;
    for (const auto& key : keys()) {
        const auto dot = key.name.find('.');
        const std::string key_group = dot == std::string::npos ? std::string() : key.name.substr(0, dot);
        if (key_group != group) {
            if (!group.empty()) out << YAML::EndMap;
            if (!key_group.empty()) out << YAML::Key << key_group << YAML::Value << YAML::BeginMap;
            group = key_group;
        }
        const std::string name = dot == std::string::npos ? key.name : key.name.substr(dot + 1);
        if (key.name == "plugin_paths") {
            out << YAML::Key << name << YAML::Value << YAML::Flow << config.plugin_paths;
        } else {
            out << YAML::Key << name << YAML::Value << key.get(config);
        }
    }
    if (!group.empty()) out << YAML::EndMap;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

}  // namespace holon::server
