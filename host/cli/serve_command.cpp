// `holon serve`, `holon backup`, `holon restore`: the server and its data directory.
#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "server/config.hpp"
#include "server/server.hpp"
#include "store/store.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>

namespace holon::cli {

namespace {

struct ServeOptions {
    std::string listen, data, store, batches, config_file, tls_certificate, tls_key;
    bool print_config = false;
};

struct BackupOptions {
    std::string data = "./var", out;
};

struct RestoreOptions {
    std::string data = "./var", file;
    bool force = false;
};

// The effective settings: the file, then HOLON_* variables, then the command line. Throws
// server::ConfigError; called again on every reload (SIGHUP).
server::ServerConfig effective_config(const GlobalOptions& global, const ServeOptions& options) {
    auto config = server::load_config(options.config_file, server::holon_environment());
    if (!options.listen.empty()) {
        config.listen = options.listen;
        config.port();
    }
    if (!options.data.empty()) config.data = options.data;
    if (!options.store.empty()) {
        if (!store::is_postgres_location(options.store))
            throw server::ConfigError("--store must be a postgresql:// URI (without it: SQLite in the data folder)");
        config.store = options.store;
    }
    if (!options.batches.empty()) config.batches = options.batches;
    if (!options.tls_certificate.empty()) config.tls.certificate = options.tls_certificate;
    if (!options.tls_key.empty()) config.tls.key = options.tls_key;
    for (const auto& p : global.plugin_paths) config.plugin_paths.push_back(p);
    return config;
}

int serve(const GlobalOptions& global, const ServeOptions& options) {
    server::ServerConfig config;
    try {
        config = effective_config(global, options);
    } catch (const server::ConfigError& e) {
        throw bad_input(e.what());
    }
    if (options.print_config) {
        std::cout << server::to_yaml(config);
        return exit_ok;
    }
    const char* admin = std::getenv("HOLON_ADMIN_TOKEN");
    return server::run_server(config, admin ? admin : "", std::cout,
                              [&global, &options] { return effective_config(global, options); });
}

}  // namespace

CommandRegistration add_serve_command(CLI::App& app, GlobalOptions& global) {
    auto options = std::make_shared<ServeOptions>();
    auto* cmd = app.add_subcommand("serve", "Run the REST API server");
    cmd->add_option("--listen", options->listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
    cmd->add_option("--data", options->data, "Data directory holding the database (default ./var)");
    cmd->add_option("--store", options->store,
                    "postgresql://... to share one PostgreSQL database with other hosts (default: SQLite in --data)");
    cmd->add_option("--batches", options->batches,
                    "Folder of batch outputs (default DATA/batches); hosts sharing --store mount the same one");
    cmd->add_option("--config", options->config_file, "YAML config file; HOLON_* variables override it");
    cmd->add_option("--tls-cert", options->tls_certificate, "PEM certificate (chain): serve HTTPS only (with --tls-key)");
    cmd->add_option("--tls-key", options->tls_key, "PEM private key of the certificate (unencrypted)");
    cmd->add_flag("--print-config", options->print_config, "Print the effective settings and exit");
    add_plugin_path_option(*cmd, global);
    return {cmd, [options, &global] { return serve(global, *options); }};
}

CommandRegistration add_backup_command(CLI::App& app, GlobalOptions&) {
    auto options = std::make_shared<BackupOptions>();
    auto* cmd = app.add_subcommand("backup", "Copy the database of a data directory, even while serving");
    cmd->add_option("--data", options->data, "Data directory (default ./var)");
    cmd->add_option("--out", options->out, "The backup file to create")->required();
    return {cmd, [options] {
                try {
                    store::backup(options->data, options->out);
                } catch (const store::StoreError& e) {
                    throw bad_input(e.what());
                }
                std::cout << options->out << '\n';
                return exit_ok;
            }};
}

CommandRegistration add_restore_command(CLI::App& app, GlobalOptions&) {
    auto options = std::make_shared<RestoreOptions>();
    auto* cmd = app.add_subcommand("restore", "Put a backup in place as a data directory's database");
    cmd->add_option("FILE", options->file, "The backup file")->required();
    cmd->add_option("--data", options->data, "Data directory (default ./var); no server may use it");
    cmd->add_flag("--force", options->force, "Replace an existing database");
    return {cmd, [options] {
                try {
                    store::restore(options->file, options->data, options->force);
                } catch (const store::StoreError& e) {
                    throw bad_input(e.what());
                }
                std::cout << store::database_path(options->data).string() << '\n';
                return exit_ok;
            }};
}

}  // namespace holon::cli
