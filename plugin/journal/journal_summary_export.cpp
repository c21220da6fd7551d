// The daily summary per terminal (journal_accounting.hpp) as JSON and CSV.
#include "plugin/journal/journal_export.hpp"

namespace fiscpos::plugin {

namespace {

core::Json countAndTotal(std::int64_t count, core::Money total) {
    return {{"count", count}, {"total", total.toString()}};
}

// "agrees", "DIFFERS", or "" without a batch.
std::string batchCheck(const DaySummary& day) {
    if (!day.batchDifference) {
        return "";
    }
    return day.batchDifference->cents() == 0 ? "agrees" : "DIFFERS";
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : " ") + item;
    }
    return out;
}

constexpr const char* summaryColumns[] = {
    "business_day",
    "terminal",
    "currency",
    "entries",
    "sale_count",
    "sale_total",
    "tip_total",
    "refund_count",
    "refund_total",
    "void_count",
    "void_total",
    "net_amount",
    "open",
    "in_doubt",
    "batch_closes",
    "batch_ids",
    "batch_sale_count",
    "batch_sale_total",
    "batch_refund_count",
    "batch_refund_total",
    "batch_net",
    "batch_difference",
    "batch_check",
};

} // namespace

core::Json summaryToJson(const DaySummary& day) {
    core::Json json = {{"business_day", day.businessDay},
                       {"terminal", day.terminal},
                       {"currency", day.currency},
                       {"entries", day.entries},
                       {"sales", countAndTotal(day.saleCount, day.saleTotal)},
                       {"tips", day.tipTotal.toString()},
                       {"refunds", countAndTotal(day.refundCount, day.refundTotal)},
                       {"voids", countAndTotal(day.voidCount, day.voidTotal)},
                       {"net", day.net.toString()},
                       {"open", day.openCount},
                       {"in_doubt", day.inDoubtCount},
                       {"batch", nullptr}};
    if (day.batch && day.batchDifference) {
        json["batch"] = {{"closes", day.batch->closes},
                         {"batch_ids", day.batch->batchIds},
                         {"sales", countAndTotal(day.batch->saleCount, day.batch->saleTotal)},
                         {"refunds", countAndTotal(day.batch->refundCount, day.batch->refundTotal)},
                         {"net", day.batch->net().toString()},
                         {"difference", day.batchDifference->toString()},
                         {"agrees", day.batchDifference->cents() == 0}};
    }
    return json;
}

std::string exportSummaryJson(const std::vector<DaySummary>& days, core::TimePoint exportedAt) {
    core::Json out = {{"format", "fiscpos.journal_summary.v1"},
                      {"exported_at", core::utcIso8601(exportedAt)},
                      {"days", core::Json::array()}};
    for (const auto& day : days) {
        out["days"].push_back(summaryToJson(day));
    }
    return core::dumpJson(out, 2) + "\n";
}

std::string exportSummaryCsv(const std::vector<DaySummary>& days, CsvDialect dialect) {
    CsvWriter csv(dialect);
    for (const char* column : summaryColumns) {
        csv.text(column);
    }
    csv.endRow();
    for (const auto& day : days) {
        csv.day(day.businessDay).text(day.terminal).text(day.currency).integer(day.entries);
        csv.integer(day.saleCount).money(day.saleTotal).money(day.tipTotal);
        csv.integer(day.refundCount).money(day.refundTotal);
        csv.integer(day.voidCount).money(day.voidTotal).money(day.net);
        csv.integer(day.openCount).integer(day.inDoubtCount);
        if (day.batch && day.batchDifference) {
            const NetworkBatches& batch = *day.batch;
            csv.integer(batch.closes).text(joined(batch.batchIds));
            csv.integer(batch.saleCount).money(batch.saleTotal);
            csv.integer(batch.refundCount).money(batch.refundTotal);
            csv.money(batch.net()).money(*day.batchDifference);
        } else {
            csv.integer(0);
            for (int i = 0; i < 7; ++i) {
                csv.empty();
            }
        }
        csv.text(batchCheck(day)).endRow();
    }
    return csv.take();
}

} // namespace fiscpos::plugin
