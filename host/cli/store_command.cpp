// `holon store migrate --from sqlite:DATA_DIR --to postgresql://...`: moves an installation from
// the embedded SQLite store to a PostgreSQL database that several hosts can share (issue 20).
#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "store/store.hpp"
#include "store/store_copy.hpp"

#include <CLI/CLI.hpp>

#include <iomanip>
#include <iostream>
#include <memory>

namespace holon::cli {

namespace {

struct StoreMigrateOptions {
    std::string from;
    std::string to;
};

int store_migrate(const StoreMigrateOptions& options) {
    if (options.from.rfind("sqlite:", 0) != 0)
        throw bad_input("--from must be sqlite:DATA_DIR (the data directory of the installation to copy), not '" +
                        options.from + "'");
    if (!store::is_postgres_location(options.to))
        throw bad_input("--to must be a postgresql:// URI, not '" + options.to + "'");
    store::CopyReport report;
    try {
        report = store::copy_sqlite_to_postgres(options.from.substr(7), options.to);
    } catch (const store::Unavailable& e) {
        throw bad_input(std::string("cannot reach the target database: ") + e.what());
    } catch (const store::StoreError& e) {
        throw bad_input(e.what());
    }
    // One line per table: what was copied, and the hash both sides agree on.
    std::cout << std::left << std::setw(16) << "table" << std::right << std::setw(10) << "rows"
              << "  sha256 (SQLite = PostgreSQL)\n";
    for (const auto& t : report.target)
        std::cout << std::left << std::setw(16) << t.table << std::right << std::setw(10) << t.rows << "  " << t.sha256
                  << '\n';
    std::cout << "copied and verified; serve it with: holon serve --store <the --to URI>\n";
    return exit_ok;
}

}  // namespace

CommandRegistration add_store_command(CLI::App& app, GlobalOptions&) {
    auto options = std::make_shared<StoreMigrateOptions>();
    auto* store = app.add_subcommand("store", "Move the store of an installation");
    store->require_subcommand(1);
    auto* cmd = store->add_subcommand(
        "migrate", "Copy a SQLite installation into an empty PostgreSQL database and verify the copy");
    cmd->add_option("--from", options->from, "sqlite:DATA_DIR, the data directory to copy (no server may write to it)")
        ->required();
    cmd->add_option("--to", options->to, "postgresql://... URI of an empty database (the schema is created)")->required();
    return {cmd, [options] { return store_migrate(*options); }};
}

}  // namespace holon::cli
