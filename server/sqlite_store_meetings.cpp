// The SQLite store's part for processes, anonymous questionnaire answers and history (store.hpp).
#include "sqlite_store.hpp"

namespace keha::server {

// Inside the appends' transaction, on the writer thread.
void Sqlite_store::write_rating(const Rating_submission& a)
{
    for (const auto& [question, value] : a.scores) writes_->insert_score.bind(a.code, question, value).run();
    if (a.comment) writes_->insert_comment.bind(a.code, *a.comment).run();
}

std::optional<Process_record> Sqlite_store::find_process(const std::string& id)
{
    std::lock_guard lk(read_mutex_);
    Statement st(read_db_, "SELECT id, title, teams, key_hash, created_at_ms FROM processes WHERE id = ?1");
    auto row = st.bind(id);
    if (!row.step()) return std::nullopt;
    return Process_record{row.text(0), row.text(1), row.text(2), row.text(3), row.integer(4)};
}

std::vector<Room_record> Sqlite_store::rooms_of_process(const std::string& id)
{
    std::lock_guard lk(read_mutex_);
    Statement st(read_db_,
                 "SELECT code, facilitator_key_hash, screen_key_hash, created_at_ms, process FROM rooms "
                 "WHERE process = ?1 ORDER BY created_at_ms, rowid");  // same millisecond: in the order created
    auto rows = st.bind(id);
    std::vector<Room_record> out;
    while (rows.step()) out.push_back({rows.text(0), rows.text(1), rows.text(2), rows.integer(3), rows.text(4)});
    return out;
}

std::vector<Poll_value> Sqlite_store::poll_values_of(const std::string& code)
{
    std::lock_guard lk(read_mutex_);
    Statement st(read_db_, "SELECT poll, value FROM poll_values WHERE room = ?1 ORDER BY poll, value");
    auto rows = st.bind(code);
    std::vector<Poll_value> out;
    while (rows.step()) out.push_back({rows.text(0), rows.text(1)});
    return out;
}

Rating_rows Sqlite_store::ratings_of(const std::string& code)
{
    std::lock_guard lk(read_mutex_);
    Read_transaction transaction(read_db_);
    Rating_rows out;
    Statement scores(read_db_, "SELECT question, score FROM rating_scores WHERE room = ?1 ORDER BY question, score");
    for (auto rows = scores.bind(code); rows.step();)
        out.scores.emplace_back(rows.text(0), static_cast<int>(rows.integer(1)));
    Statement comments(read_db_, "SELECT text FROM rating_comments WHERE room = ?1 ORDER BY text");
    for (auto rows = comments.bind(code); rows.step();) out.comments.push_back(rows.text(0));
    return out;
}

std::optional<Stored_history> Sqlite_store::history_at(const std::string& code, std::uint64_t seq)
{
    std::lock_guard lk(read_mutex_);
    Read_transaction transaction(read_db_);
    Stored_history h;
    Statement last(read_db_, "SELECT coalesce(max(seq), 0) FROM ops WHERE room = ?1");
    h.last_seq = static_cast<std::uint64_t>(last.bind(code).scalar());
    h.seq = std::min(seq, h.last_seq);
    {
        Statement st(read_db_, "SELECT seq, state FROM snapshots WHERE room = ?1 AND seq <= ?2 ORDER BY seq DESC LIMIT 1");
        auto row = st.bind(code, h.seq);
        if (!row.step()) return std::nullopt;  // no such room
        h.snapshot = {row.seq(0), row.text(1)};
    }
    try {
        Statement st(read_db_, "SELECT json_extract(state, '$.phase') FROM snapshots WHERE room = ?1 AND seq = 0");
        auto row = st.bind(code);
        if (row.step()) h.initial_phase = row.text(0);
    } catch (const Store_error&) {
        // A first state that is not JSON names no phase; the fold of the history says what is
        // wrong with it (an internal error, not the store being unavailable).
    }
    if (h.snapshot.seq < h.seq) {
        Statement st(read_db_, "SELECT seq, patch FROM ops WHERE room = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq");
        for (auto rows = st.bind(code, h.snapshot.seq, h.seq); rows.step();) {
            h.ops.emplace_back();
            h.ops.back().seq = rows.seq(0);
            h.ops.back().patch = rows.text(1);
        }
    }
    return h;
}

std::vector<Snapshot_record> Sqlite_store::snapshots(const std::string& code)
{
    std::lock_guard lk(read_mutex_);
    Statement st(read_db_, "SELECT seq, state FROM snapshots WHERE room = ?1 ORDER BY seq");
    std::vector<Snapshot_record> out;
    for (auto rows = st.bind(code); rows.step();) out.push_back({rows.seq(0), rows.text(1)});
    return out;
}

std::vector<std::pair<std::int64_t, std::string>> Sqlite_store::op_times(const std::string& code, std::uint64_t upto)
{
    std::lock_guard lk(read_mutex_);
    Statement st(read_db_,
                 "SELECT at_ms, CASE WHEN instr(patch, '\"path\":\"/phase\"') > 0 THEN patch ELSE '' END FROM ops "
                 "WHERE room = ?1 AND seq <= ?2 ORDER BY seq");
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (auto rows = st.bind(code, upto); rows.step();) out.emplace_back(rows.integer(0), rows.text(1));
    return out;
}

}  // namespace keha::server
