#include "registry/discovery.hpp"
#include "registry/manifest.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using holon::registry::ManifestError;

namespace {

class TempDir {
public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "holon-registry-XXXXXX").string();
        path_ = mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path &path() const { return path_; }

private:
    fs::path path_;
};

void write(const fs::path &p, const std::string &text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

// A plugin folder with the given manifest text and an (empty) library file.
fs::path make_plugin(const fs::path &root, const std::string &name, const std::string &manifest,
                     const std::string &library = "x.so") {
    auto dir = root / name;
    write(dir / "plugin.json", manifest);
    write(dir / library, "");
    return dir;
}

const char *good = R"({"id": "acme", "version": "1.2.0", "abi": "1.0", "library": "x.so", "license": "MIT",
  "description": "Acme methods", "methods": ["acme.one", "acme.two"],
  "limits": {"acme.two": {"wall_seconds": 5, "memory_mb": 128}}})";

std::string load_error(const fs::path &dir) {
    try {
        holon::registry::load_manifest(dir);
    } catch (const ManifestError &e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST(Manifest, ReadsEveryField) {
    TempDir t;
    auto m = holon::registry::load_manifest(make_plugin(t.path(), "acme", good));
    EXPECT_EQ(m.id, "acme");
    EXPECT_EQ(m.version, "1.2.0");
    EXPECT_EQ(m.abi_major, 1u);
    EXPECT_EQ(m.abi_minor, 0u);
    EXPECT_EQ(m.library_path(), fs::absolute(t.path() / "acme" / "x.so").lexically_normal());
    ASSERT_EQ(m.methods.size(), 2u);
    EXPECT_EQ(m.methods[1], "acme.two");
    ASSERT_TRUE(m.limits.count("acme.two"));
    EXPECT_DOUBLE_EQ(*m.limits["acme.two"].wall_seconds, 5.0);
    EXPECT_EQ(*m.limits["acme.two"].memory_bytes, 128ull << 20);
    EXPECT_FALSE(m.limits["acme.two"].cpu_seconds.has_value());
}

TEST(Manifest, SchemaViolationNamesFileAndPath) {
    TempDir t;
    std::string bad = good;
    bad.replace(bad.find("\"1.0\""), 5, "\"one\"");
    auto err = load_error(make_plugin(t.path(), "acme", bad));
    EXPECT_NE(err.find("plugin.json"), std::string::npos) << err;
    EXPECT_NE(err.find("/abi"), std::string::npos) << err;
}

TEST(Manifest, MalformedJsonGivesLineAndColumn) {
    TempDir t;
    auto err = load_error(make_plugin(t.path(), "acme", "{\n  \"id\": \"acme\",\n  oops\n}"));
    EXPECT_NE(err.find("line 3"), std::string::npos) << err;
}

TEST(Manifest, OtherMajorVersionIsRefusedWithBothVersions) {
    TempDir t;
    std::string bad = good;
    bad.replace(bad.find("\"1.0\""), 5, "\"2.0\"");
    auto err = load_error(make_plugin(t.path(), "acme", bad));
    EXPECT_NE(err.find("2.0"), std::string::npos) << err;
    EXPECT_NE(err.find("SDK 1"), std::string::npos) << err;
}

TEST(Manifest, MissingLibraryIsReported) {
    TempDir t;
    auto dir = make_plugin(t.path(), "acme", good, "other.so");
    auto err = load_error(dir);
    EXPECT_NE(err.find("/library"), std::string::npos) << err;
    EXPECT_NE(err.find("does not exist"), std::string::npos) << err;
}

TEST(Manifest, LibraryOutsideTheFolderIsRefused) {
    TempDir t;
    std::string bad = good;
    bad.replace(bad.find("\"x.so\""), 6, "\"../x.so\"");
    auto err = load_error(make_plugin(t.path(), "acme", bad));
    EXPECT_NE(err.find("/library"), std::string::npos) << err;
}

TEST(Manifest, MethodIdsMustCarryThePluginNamespace) {
    TempDir t;
    std::string bad = good;
    bad.replace(bad.find("\"acme.two\"]"), 10, "\"other.two\"");
    auto err = load_error(make_plugin(t.path(), "acme", bad));
    EXPECT_NE(err.find("/methods/1"), std::string::npos) << err;
}

TEST(Manifest, LimitsForUnknownMethodsAreRefused) {
    TempDir t;
    std::string bad = good;
    bad.replace(bad.find("{\"acme.two\": {"), 14, "{\"acme.six\": {");
    auto err = load_error(make_plugin(t.path(), "acme", bad));
    EXPECT_NE(err.find("/limits/acme.six"), std::string::npos) << err;
}

TEST(Discovery, ExplicitPathsComeFirstThenEnvironment) {
    TempDir a, b;
    make_plugin(a.path(), "p1", good);
    make_plugin(b.path(), "p2", good);
    setenv("HOLON_PLUGIN_PATH", (b.path().string() + ":/no/such/folder").c_str(), 1);
    holon::registry::SearchOptions o;
    o.explicit_paths = {a.path()};
    o.use_defaults = false;
    auto search = holon::registry::search_path(o);
    ASSERT_EQ(search.size(), 2u); // the missing folder is dropped
    EXPECT_EQ(search[0], fs::canonical(a.path()));
    EXPECT_EQ(search[1], fs::canonical(b.path()));
    unsetenv("HOLON_PLUGIN_PATH");
}

TEST(Discovery, FindsPluginFoldersAtTopLevelAndOneLevelDown) {
    TempDir t;
    make_plugin(t.path(), "b", good);
    make_plugin(t.path(), "a", good);
    fs::create_directories(t.path() / "not-a-plugin");
    auto direct = make_plugin(t.path() / "deeper", "c", good);
    auto dirs = holon::registry::find_plugin_dirs({t.path(), direct});
    ASSERT_EQ(dirs.size(), 3u);
    EXPECT_EQ(dirs[0].filename(), "a");
    EXPECT_EQ(dirs[1].filename(), "b");
    EXPECT_EQ(dirs[2], direct);
}
