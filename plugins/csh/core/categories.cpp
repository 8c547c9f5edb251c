#include "core/categories.hpp"

#include <stdexcept>

namespace holon_csh {

const std::array<Category, category_count> &categories() {
    static const std::array<Category, category_count> all = {{
        {1, "Beneficiary", "motivation",
         "Whose interests does the system serve as it runs today: who gains from it?",
         "Whose interests should the system serve: who should gain from it?"},
        {2, "Purpose", "motivation",
         "What does the system actually bring about: which consequences does it produce?",
         "What should the system bring about: which consequences should it aim for?"},
        {3, "Measure of improvement", "motivation",
         "Which yardstick is used today to tell that the consequences, taken together, are an improvement?",
         "Which yardstick should tell that the consequences, taken together, are an improvement?"},
        {4, "Decision-maker", "control",
         "Who has the say today, including the power to change that yardstick?",
         "Who should have the say, including the power to change that yardstick?"},
        {5, "Resources", "control",
         "Which resources and conditions for success does the decision-maker command today?",
         "Which resources and conditions for success should the decision-maker command?"},
        {6, "Decision environment", "control",
         "Which conditions for success lie outside the decision-maker's reach today?",
         "Which conditions for success should lie outside the decision-maker's reach, seen also by those not "
         "involved?"},
        {7, "Expert", "knowledge",
         "Whose experience and know-how is drawn on today?",
         "Whose experience and know-how should be drawn on?"},
        {8, "Expertise", "knowledge",
         "What kind of knowledge counts as relevant today?",
         "What kind of knowledge should count as relevant?"},
        {9, "Guarantor", "knowledge",
         "What is relied on today to assure that the plan will work (expert agreement, data, stakeholder "
         "involvement, political backing ...)?",
         "What should be relied on to assure that the plan will work?"},
        {10, "Witness", "legitimacy",
         "Who speaks up today for those affected but not involved, including future generations and non-human "
         "nature?",
         "Who should speak up for those affected but not involved?"},
        {11, "Emancipation", "legitimacy",
         "What lets those affected today challenge the assumptions and promises of those involved?",
         "What should let those affected challenge the assumptions and promises of those involved?"},
        {12, "Worldview", "legitimacy",
         "Which view of the world and of improvement shapes the system today, and how are differing views "
         "reconciled?",
         "Which view of the world and of improvement should shape the system, and how should differing views "
         "be reconciled?"},
    }};
    return all;
}

const Category &category(int id) {
    if (id < 1 || id > category_count) throw std::out_of_range("CSH category out of 1..12");
    return categories()[static_cast<std::size_t>(id - 1)];
}

} // namespace holon_csh
