// Data at rest is readable by the server's own user only: the data folder 0700, the database, its
// WAL and SHM files and backups 0600, also when the folder already existed with looser modes; a
// data folder of another user is refused.
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace holon::store {
namespace {

namespace fs = std::filesystem;

unsigned mode_of(const fs::path &path) {
    struct stat st{};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

class DataAtRest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("holon-data-at-rest-" + std::to_string(getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_);
        ::chmod(root_.c_str(), 0755);
    }
    void TearDown() override { fs::remove_all(root_); }
    fs::path root_;
};

TEST_F(DataAtRest, ANewDataFolderAndItsDatabaseFilesAreTheServersUsersOnly) {
    const fs::path data = root_ / "data";
    {
        auto store = open_sqlite_store(data, {});
        store->create_workspace("private");
        EXPECT_EQ(mode_of(data), 0700u);
        for (const char *name : {"holon.db", "holon.db-wal", "holon.db-shm"}) {
            ASSERT_TRUE(fs::exists(data / name)) << name;
            EXPECT_EQ(mode_of(data / name), 0600u) << name;
        }
    }
    const fs::path copy = root_ / "backup.db";
    backup(data, copy);
    EXPECT_EQ(mode_of(copy), 0600u) << "a backup holds every tenant's data";
}

TEST_F(DataAtRest, AnExistingFolderWithLooserModesIsTightened) {
    const fs::path data = root_ / "data";
    fs::create_directories(data);
    ::chmod(data.c_str(), 0755);
    { auto store = open_sqlite_store(data, {}); }
    for (const char *name : {"holon.db", "holon.db-wal", "holon.db-shm"})
        if (fs::exists(data / name)) ::chmod((data / name).c_str(), 0644);
    ::chmod(data.c_str(), 0777);
    {
        auto store = open_sqlite_store(data, {});
        store->create_workspace("after");
        EXPECT_EQ(mode_of(data), 0700u);
        for (const char *name : {"holon.db", "holon.db-wal", "holon.db-shm"}) {
            if (fs::exists(data / name)) {
                EXPECT_EQ(mode_of(data / name), 0600u) << name;
            }
        }
    }
}

TEST_F(DataAtRest, AFolderOfAnotherUserIsRefusedWithAClearMessage) {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to give a folder to another user";
    const fs::path data = root_ / "theirs";
    fs::create_directories(data);
    ASSERT_EQ(::chown(data.c_str(), 12345, 12345), 0);
    try {
        open_sqlite_store(data, {});
        FAIL() << "a data folder of uid 12345 was used";
    } catch (const StoreError &e) {
        EXPECT_NE(std::string(e.what()).find("belongs to uid 12345"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(data / "holon.db")) << "nothing is created in a refused folder";
}

} // namespace
} // namespace holon::store
