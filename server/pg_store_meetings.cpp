// The PostgreSQL store's part for processes, anonymous questionnaire answers and history
// (pg_store.hpp; the SQLite store's is store_meetings.cpp).
#include <algorithm>

#include "pg_connection.hpp"
#include "pg_store.hpp"

namespace keha::server {

namespace {

// A PostgreSQL array literal of texts: {"a","b \"c\""}.
std::string text_array(const std::vector<std::string>& items)
{
    std::string out = "{";
    for (const auto& item : items) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (char c : item) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

}  // namespace

std::string Pg_store::run_create_process(const Process_record& p, bool& conflict)
{
    try {
        write_transaction([&](Pg_connection& db) {
            db.run("INSERT INTO processes (id, title, teams, key_hash, created_at_ms) VALUES ($1, $2, $3, $4, $5)",
                   {p.id, p.title, p.teams, p.key_hash, pg_int(p.created_at_ms)});
        });
    } catch (const Store_error& e) {
        conflict = write_db_ && write_db_->last_state() == "23505";  // unique_violation
        return conflict ? "process " + p.id + " already exists" : std::string("cannot create the process: ") + e.what();
    }
    return {};
}

void Pg_store::create_process(const Process_record& process)
{
    writer().create([&](bool& conflict) { return run_create_process(process, conflict); });
}

std::optional<Process_record> Pg_store::find_process(const std::string& id)
{
    std::optional<Process_record> found;
    read([&](Pg_connection& db) {
        auto r = db.run("SELECT id, title, teams, key_hash, created_at_ms FROM processes WHERE id = $1", {id});
        if (r.rows() == 1) found = Process_record{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.text(0, 3), r.integer(0, 4)};
    });
    return found;
}

std::vector<Room_record> Pg_store::rooms_of_process(const std::string& id)
{
    std::vector<Room_record> rooms;
    read([&](Pg_connection& db) {
        // Same millisecond: in the order created.
        auto r = db.run("SELECT code, facilitator_key_hash, screen_key_hash, created_at_ms, process FROM rooms "
                        "WHERE process = $1 ORDER BY created_at_ms, created_order",
                        {id});
        for (int i = 0; i < r.rows(); ++i)
            rooms.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.integer(i, 3), r.text(i, 4)});
    });
    return rooms;
}

// Inside the appends' transaction. Every row of a table carries the id of the transaction that
// wrote it (xmin) and sits where it was written; the op that says who answered is in the same
// transaction. So each answer rewrites all of its room's answer rows, in random order with new
// random keys: every row then names only the latest transaction, and the order says nothing.
void Pg_store::write_ratings(Pg_connection& db, const std::string& code, const std::vector<Rating_submission>& answers)
{
    std::vector<std::string> questions, scores, comments;
    for (const auto& answer : answers) {
        for (const auto& [question, score] : answer.scores) {
            questions.push_back(question);
            scores.push_back(std::to_string(score));
        }
        if (answer.comment) comments.push_back(*answer.comment);
    }
    db.queue("WITH old AS (DELETE FROM rating_scores WHERE room = $1 RETURNING question, score) "
           "INSERT INTO rating_scores (room, question, score) SELECT $1, q, s FROM "
           "(SELECT question, score FROM old UNION ALL SELECT * FROM unnest($2::text[], $3::int[])) AS a (q, s) "
           "ORDER BY random()",
           {code, text_array(questions), text_array(scores)});
    if (comments.empty()) return;
    db.queue("WITH old AS (DELETE FROM rating_comments WHERE room = $1 RETURNING text) "
           "INSERT INTO rating_comments (room, text) SELECT $1, t FROM "
           "(SELECT text FROM old UNION ALL SELECT unnest($2::text[])) AS a (t) ORDER BY random()",
           {code, text_array(comments)});
}

// As write_ratings: the poll's rows are all rewritten, in random order with new random keys.
void Pg_store::write_poll_values(Pg_connection& db, const std::string& code, const std::vector<Poll_value>& values)
{
    std::vector<std::string> polls, texts;
    for (const auto& v : values) {
        polls.push_back(v.poll);
        texts.push_back(v.value);
    }
    db.queue("WITH old AS (DELETE FROM poll_values WHERE room = $1 AND poll = ANY($2::text[]) RETURNING poll, value) "
             "INSERT INTO poll_values (room, poll, value) SELECT $1, p, v FROM "
             "(SELECT poll, value FROM old UNION ALL SELECT * FROM unnest($2::text[], $3::text[])) AS a (p, v) "
             "ORDER BY random()",
             {code, text_array(polls), text_array(texts)});
}

std::vector<Poll_value> Pg_store::poll_values_of(const std::string& code)
{
    std::vector<Poll_value> out;
    read([&](Pg_connection& db) {
        auto rows = db.run("SELECT poll, value FROM poll_values WHERE room = $1 ORDER BY poll COLLATE \"C\", value COLLATE \"C\"",
                           {code});
        for (int i = 0; i < rows.rows(); ++i) out.push_back({rows.text(i, 0), rows.text(i, 1)});
    });
    return out;
}

Rating_rows Pg_store::ratings_of(const std::string& code)
{
    Rating_rows out;
    read([&](Pg_connection& db) {
        auto scores = db.run(
            "SELECT question, score FROM rating_scores WHERE room = $1 ORDER BY question COLLATE \"C\", score", {code});
        for (int i = 0; i < scores.rows(); ++i)
            out.scores.emplace_back(scores.text(i, 0), static_cast<int>(scores.integer(i, 1)));
        auto comments = db.run("SELECT text FROM rating_comments WHERE room = $1 ORDER BY text COLLATE \"C\"", {code});
        for (int i = 0; i < comments.rows(); ++i) out.comments.push_back(comments.text(i, 0));
    });
    return out;
}

std::optional<Stored_history> Pg_store::history_at(const std::string& code, std::uint64_t seq)
{
    std::optional<Stored_history> found;
    read([&](Pg_connection& db) {
        Stored_history h;
        h.last_seq = static_cast<std::uint64_t>(
            db.run("SELECT coalesce(max(seq), 0) FROM ops WHERE room = $1", {code}).integer(0, 0));
        h.seq = std::min(seq, h.last_seq);
        auto snapshot = db.run("SELECT seq, state FROM snapshots WHERE room = $1 AND seq <= $2 ORDER BY seq DESC LIMIT 1",
                               {code, pg_seq(h.seq)});
        if (snapshot.rows() != 1) return;  // no such room
        h.snapshot = {static_cast<std::uint64_t>(snapshot.integer(0, 0)), snapshot.text(0, 1)};
        auto phase = db.run("SELECT state::json ->> 'phase' FROM snapshots WHERE room = $1 AND seq = 0", {code});
        if (phase.rows() == 1) h.initial_phase = phase.text(0, 0);
        auto ops = db.run("SELECT seq, patch FROM ops WHERE room = $1 AND seq > $2 AND seq <= $3 ORDER BY seq",
                          {code, pg_seq(h.snapshot.seq), pg_seq(h.seq)});
        for (int i = 0; i < ops.rows(); ++i) {
            h.ops.emplace_back();
            h.ops.back().seq = static_cast<std::uint64_t>(ops.integer(i, 0));
            h.ops.back().patch = ops.text(i, 1);
        }
        found = std::move(h);
    });
    return found;
}

std::vector<std::pair<std::int64_t, std::string>> Pg_store::op_times(const std::string& code, std::uint64_t upto)
{
    std::vector<std::pair<std::int64_t, std::string>> out;
    read([&](Pg_connection& db) {
        auto r = db.run("SELECT at_ms, CASE WHEN strpos(patch, '\"path\":\"/phase\"') > 0 THEN patch ELSE '' END "
                        "FROM ops WHERE room = $1 AND seq <= $2 ORDER BY seq",
                        {code, pg_seq(upto)});
        for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.integer(i, 0), r.text(i, 1));
    });
    return out;
}

}  // namespace keha::server
