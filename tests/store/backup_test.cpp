#include "store_fixture.hpp"

#include <fstream>
#include <thread>

namespace holon::store::testing {
namespace {

class BackupTest : public StoreTest {
protected:
    BackupTest() {
        workspace_ = store().create_workspace("w").id;
        token_ = store().create_token(workspace_, Role::editor, std::nullopt);
        model_ = store().create_model(workspace_, {"m", "holon-model/1", "one"});
        model_ = store().update_model(workspace_, model_.id, model_.etag, {"m", "holon-model/1", "two"});
        run_ = store().create_run(workspace_, {"sd.simulate", model_.id, std::nullopt, "{}", "{}", std::nullopt}).id;
        EXPECT_TRUE(store().claim("host", 1000));
        EXPECT_TRUE(store().finish(run_, "host", 1, {RunState::succeeded, "", {"{\"r\":1}", {{"t", {"x"}, {{4, 5}}}}, {}}}));
    }

    void expect_contents(Store& restored) {
        EXPECT_EQ(restored.integrity_check(), "ok");
        EXPECT_EQ(restored.get_workspace(workspace_).name, "w");
        EXPECT_EQ(restored.get_model(workspace_, model_.id).body, "two");
        EXPECT_EQ(restored.get_model(workspace_, model_.id, 1).body, "one");
        EXPECT_EQ(restored.get_model(workspace_, model_.id).etag, model_.etag);
        EXPECT_EQ(restored.get_run(workspace_, run_).state, RunState::succeeded);
        EXPECT_EQ(restored.get_outputs(workspace_, run_).tables.at(0).values[0], (std::vector<double>{4, 5}));
        const auto principal = restored.authenticate(token_.secret);
        ASSERT_TRUE(principal);
        EXPECT_EQ(principal->workspace_id, workspace_);
    }

    std::string workspace_, run_;
    NewToken token_;
    ModelRef model_;
};

TEST_F(BackupTest, RoundTripWhileTheStoreIsOpen) {
    const auto file = dir_.path() / "holon.backup";
    backup(data_dir(), file);
    // Written after the backup: not in it.
    const ModelRef later = store().create_model(workspace_, {"later", "holon-model/1", "{}"});

    const auto restored_dir = dir_.path() / "restored";
    restore(file, restored_dir);
    auto restored = open_sqlite_store(restored_dir);
    expect_contents(*restored);
    EXPECT_THROW(restored->get_model(workspace_, later.id), NotFound);
}

TEST_F(BackupTest, BackupIsConsistentUnderConcurrentWrites) {
    std::atomic<bool> stop = false;
    std::thread writer([&] {
        ModelRef ref = store().create_model(workspace_, {"busy", "holon-model/1", "0"});
        for (int i = 1; !stop; ++i) ref = store().update_model(workspace_, ref.id, ref.etag, {"busy", "holon-model/1", std::to_string(i)});
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto file = dir_.path() / "busy.backup";
    backup(data_dir(), file);
    stop = true;
    writer.join();

    const auto restored_dir = dir_.path() / "restored";
    restore(file, restored_dir);
    auto restored = open_sqlite_store(restored_dir);
    expect_contents(*restored);
    // Every model's latest revision exists: no half-applied update in the snapshot.
    for (const ModelSummary& model : restored->list_models(workspace_, {1000, ""}).items) {
        const ModelRevision latest = restored->get_model(workspace_, model.id);
        EXPECT_EQ(latest.revision, model.latest_revision);
        EXPECT_EQ(restored->list_revisions(workspace_, model.id, {1000, ""}).items.size(),
                  static_cast<std::size_t>(model.latest_revision));
    }
}

TEST_F(BackupTest, RestoreRefusesANonEmptyDataDirectoryUnlessForced) {
    const auto file = dir_.path() / "holon.backup";
    backup(data_dir(), file);
    EXPECT_THROW(backup(data_dir(), file), StoreError);  // never overwrites a backup

    const auto target = dir_.path() / "existing";
    {
        auto other = open_sqlite_store(target);
        other->create_workspace("other server's data");
    }
    EXPECT_THROW(restore(file, target), StoreError);
    {
        auto untouched = open_sqlite_store(target);
        EXPECT_EQ(untouched->list_workspaces({}).items.at(0).name, "other server's data");
    }
    restore(file, target, true);
    auto restored = open_sqlite_store(target);
    expect_contents(*restored);
    EXPECT_EQ(restored->list_workspaces({}).items.size(), 1u);
}

TEST_F(BackupTest, RestoreRefusesDamagedOrForeignFiles) {
    const auto garbage = dir_.path() / "garbage.backup";
    std::ofstream(garbage) << "this is not a database";
    EXPECT_THROW(restore(garbage, dir_.path() / "r1"), StoreError);
    EXPECT_THROW(restore(dir_.path() / "missing.backup", dir_.path() / "r2"), StoreError);

    const auto foreign = dir_.path() / "foreign.db";
    holon::store::testing::exec_sql(foreign, "CREATE TABLE t (x INTEGER)");
    EXPECT_THROW(restore(foreign, dir_.path() / "r3"), StoreError);

    // A backup whose pages were damaged after it was taken.
    const auto file = dir_.path() / "holon.backup";
    backup(data_dir(), file);
    {
        std::fstream damaged(file, std::ios::in | std::ios::out | std::ios::binary);
        const auto size = std::filesystem::file_size(file);
        for (std::uintmax_t offset = 4096; offset < size; offset += 4096) {  // each b-tree page header
            damaged.seekp(static_cast<std::streamoff>(offset));
            damaged.write("\xde\xad\xbe\xef\xde\xad\xbe\xef", 8);
        }
    }
    EXPECT_THROW(restore(file, dir_.path() / "r4"), StoreError);
    EXPECT_FALSE(std::filesystem::exists(database_path(dir_.path() / "r4")));
}

}  // namespace
}  // namespace holon::store::testing
