// Many threads at once on one store, with fewer reader connections than reading threads: reads
// wait for a free connection and always see whole revisions, never a half-applied update.
#include "store_fixture.hpp"

#include <thread>

namespace holon::store::testing {
namespace {

TEST(ConcurrencyTest, ReadersSeeWholeRevisionsWhileAWriterUpdates) {
    TempDir dir;
    StoreOptions options;
    options.max_readers = 2;
    auto store = open_sqlite_store(dir.path() / "data", options);
    const std::string workspace = store->create_workspace("w").id;
    const NewToken token = store->create_token(workspace, Role::viewer, std::nullopt);
    ModelRef ref = store->create_model(workspace, {"m", "holon-model/1", "1"});
    const std::string model_id = ref.id;  // the writer reassigns ref; readers use this copy

    std::atomic<bool> done = false;
    std::atomic<int> reads = 0, inconsistent = 0, failed_auth = 0;
    std::vector<std::thread> readers;
    for (int r = 0; r < 5; ++r) {
        readers.emplace_back([&] {
            while (!done) {
                const ModelRevision model = store->get_model(workspace, model_id);
                // Every revision's body is its own revision number.
                if (model.body != std::to_string(model.revision)) ++inconsistent;
                if (!store->authenticate(token.secret)) ++failed_auth;
                ++reads;
            }
        });
    }
    for (int revision = 2; revision <= 150; ++revision)
        ref = store->update_model(workspace, ref.id, ref.etag, {"m", "holon-model/1", std::to_string(revision)});
    done = true;
    for (auto& reader : readers) reader.join();

    EXPECT_GT(reads, 0);
    EXPECT_EQ(inconsistent, 0);
    EXPECT_EQ(failed_auth, 0);
    EXPECT_EQ(store->get_model(workspace, ref.id).revision, 150);
    EXPECT_EQ(store->integrity_check(), "ok");
}

}  // namespace
}  // namespace holon::store::testing
