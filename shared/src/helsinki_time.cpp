#include "keha/helsinki_time.hpp"

#include <cstdio>

namespace keha {
namespace {

struct Civil {
    int y, m, d;
};

Civil civil_from_days(std::int64_t z)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

std::int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = static_cast<unsigned>((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// Epoch ms of 01:00 UTC on the last Sunday of a month: when EU summer time starts or ends.
std::int64_t last_sunday_0100_utc(int year, int month)
{
    const int next_y = month == 12 ? year + 1 : year, next_m = month == 12 ? 1 : month + 1;
    std::int64_t day = days_from_civil(next_y, next_m, 1) - 1;  // last day of the month
    const std::int64_t weekday = ((day % 7) + 11) % 7;          // 0 = Sunday (1970-01-01 was a Thursday)
    day -= weekday;
    return day * 86'400'000 + 3'600'000;
}

std::string two(int v)
{
    char b[8];
    std::snprintf(b, sizeof b, "%02d", v);
    return b;
}

}  // namespace

std::pair<std::string, std::string> helsinki_date_time(std::int64_t epoch_ms)
{
    const int year = civil_from_days((epoch_ms >= 0 ? epoch_ms : epoch_ms - 86'399'999) / 86'400'000).y;
    const bool summer = epoch_ms >= last_sunday_0100_utc(year, 3) && epoch_ms < last_sunday_0100_utc(year, 10);
    const std::int64_t local = epoch_ms + (summer ? 3 : 2) * 3'600'000;
    std::int64_t days = local / 86'400'000;
    std::int64_t rest = local % 86'400'000;
    if (rest < 0) {
        rest += 86'400'000;
        --days;
    }
    const Civil c = civil_from_days(days);
    const int minutes = static_cast<int>(rest / 60'000);
    return {std::to_string(c.y) + "-" + two(c.m) + "-" + two(c.d), two(minutes / 60) + ":" + two(minutes % 60)};
}

}  // namespace keha
