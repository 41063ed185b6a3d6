"""The demo newsroom's stories, written for this project: eight published articles a section,
newest first, then the drafts, the article in review and the scheduled one.

Places, people, companies and events are invented. A story is a headline, a standfirst, two
tags, a body (paragraphs separated by blank lines, "## " before a subheading and "> " before a
quotation set apart) and the scene its illustration shows.
"""

from typing import NamedTuple


class Story(NamedTuple):
    title: str
    dek: str
    tags: tuple[str, str]
    body: str
    picture: str = ""  # a scene of demo_images.SCENES; empty: no picture, as some stories have


WORLD = [
    Story(
        "Valdria and Costerra reach outline deal on the river border",
        "After eleven rounds of talks, negotiators have agreed where the line runs. Fishing "
        "rights and the two disputed islands are left for later.",
        ("diplomacy", "trade"),
        """\
Negotiators from Valdria and Costerra agreed on Thursday night where their border should run \
along the Alder river, ending a dispute that has closed two bridges and stranded barges for \
most of the year.

The outline deal follows the deepest channel of the river for 140 kilometres, the rule both \
sides had accepted in principle since the spring. What took eleven rounds of talks was the \
stretch near Kesterby, where the channel has moved twice since the old maps were drawn.

## What is settled, and what is not

Under the agreement the bridges at Kesterby and Oskarvik reopen to lorries within a month, and \
barge crews will no longer need a second set of papers to cross the midstream line. A joint \
commission will survey the channel every five years.

The two islands below Kesterby, home to a lighthouse and a colony of terns, are not part of the \
deal. Nor are fishing rights, which both governments say they will negotiate separately before \
the season opens in April.

Irena Vos, Valdria's foreign minister, called the result "a border drawn by surveyors, not by \
soldiers". Her Costerran counterpart said the harder questions had been "parked, not \
forgotten".

> Barge owners have lost more money this year than in the previous ten. Reopening the bridges \
matters more to them than any line on a map.

Both parliaments must still approve the text. In Costerra a vote is expected before the \
winter recess; in Valdria the opposition has asked to see the surveyors' maps first.""",
        "globe",
    ),
    Story(
        "Grain ships queue off Marlow Bay as inspections slow exports",
        "A new inspection rule has doubled the time a cargo takes to clear the port. Farmers "
        "inland are beginning to feel it.",
        ("trade", "climate"),
        """\
Twenty-three bulk carriers were anchored off Marlow Bay on Monday morning, waiting for grain \
inspectors who now check every hold rather than one in five.

The rule, introduced after a shipment of mouldy wheat was turned back from Aurelia in the \
summer, was meant to protect the reputation of the region's exports. Port figures show it has \
also doubled the average time a ship spends waiting, from three days to more than six.

Each extra day at anchor costs an operator about 18,000 in fees and fuel, according to the \
harbour authority. Some of that is passed back to the traders who buy from farmers.

## Inland, the silos are full

In the villages around Eastfield, co-operatives say their silos are full and they have \
stopped taking deliveries from smaller farms. "We cannot store what we cannot ship," said the \
manager of one co-operative, who asked not to be named because talks with the ministry are \
continuing.

The agriculture ministry said it would hire twelve more inspectors by the end of the month \
and allow checks at night. It has no plans to drop the rule.

Exporters have asked for a simpler compromise: full checks for cargoes bound for countries \
that have complained, and the old sampling for everyone else.""",
        "ship",
    ),
    Story(
        "Drought cuts Aurelia's harvest by a third, UN agency says",
        "The driest summer in sixty years has left the country importing maize for the first "
        "time since the 1990s.",
        ("climate", "trade"),
        """\
Aurelia will harvest about a third less maize and wheat than in an average year, a United \
Nations food agency said on Wednesday, after the driest summer the country has recorded since \
the early 1960s.

The agency's report, based on satellite images and surveys in four provinces, found that \
reservoirs in the south fell to a fifth of their capacity in August. Irrigation was rationed \
to two days a week, and many smaller farms stopped watering altogether.

The shortfall means Aurelia, usually a net exporter, will need to buy about 900,000 tonnes of \
grain abroad before the next harvest. Its government has already signed contracts with \
suppliers in the Northern Federation.

## Prices at home

Bread prices in the capital have risen by a fifth since June. The government has capped the \
price of a standard loaf and released part of its strategic reserve, which it says will last \
until March.

Aid groups are more worried about livestock. Herders in the south have sold animals early \
because there is no pasture left, and the price of cattle has fallen while the price of feed \
has doubled.

The agency recommended that Aurelia's neighbours keep their borders open to food trade \
through the winter. Costerra and Valdria said they would.""",
        "fields",
    ),
    Story(
        "Observers praise calm vote in Tessaly but criticise access to airtime",
        "The election passed without violence, international monitors said, but opposition "
        "parties had a fraction of the broadcast time the governing party did.",
        ("diplomacy", "migration"),
        """\
Sunday's parliamentary election in Tessaly was calm, orderly and well run on the day, \
international observers said on Monday, but the campaign before it was "not a level field".

The monitoring mission, with 340 observers from eleven countries, visited more than 2,000 \
polling stations. It found that counting was careful and that results were posted outside \
almost every station within hours of the polls closing.

Its criticism was reserved for the weeks before. Public television gave the governing party \
four times as much coverage as all opposition parties combined, the mission found, and two \
regional radio stations lost their licences during the campaign.

## A record turnout abroad

Turnout was 64 per cent at home and higher still among Tessalians abroad, many of whom queued \
for hours at embassies in Port Alder and Lindenau. Polling staff in Port Alder kept the doors \
open past midnight to let everyone in the queue vote.

The governing party is on course to keep its majority, although with fewer seats. Its leader \
thanked voters and said the observers' report would be "read carefully".

The head of the mission said the report's recommendations, including an independent board \
for public broadcasting, would be published in full within two months.""",
        "ballot",
    ),
    Story(
        "What the new fishing agreement means for Oskarvik's boats",
        "Quotas go up for herring and down for cod. We asked the skippers who will live with them.",
        ("trade", "climate"),
        """\
The fishing agreement signed in Lindenau on Friday sets how much each country's boats may \
catch in the shared waters of the northern sea for the next three years. In Oskarvik, where \
about forty boats still land fish every week, the reaction was mixed.

Herring quotas rise by 12 per cent, reflecting healthy stocks. Cod quotas fall by a fifth, \
after scientists warned that the number of young fish had dropped for the third year running.

## Winners and losers

For the larger trawlers that target herring, the deal is good news. For the small boats that \
fish cod close to shore, it is the opposite. "Herring is a big boat's fish," said Marta \
Holm, who skippers a nine-metre boat with her brother. "We have nothing else to catch in \
January."

The agreement includes a fund for skippers who want to switch to other species, or to leave \
fishing. It is smaller than the harbour's association had asked for, and applications close \
in March.

Scientists welcomed the cod cut but said it came a year late. The first survey under the new \
rules is due in the spring, and the quotas can be revised if stocks recover faster than \
expected.

In Oskarvik's harbour office, the notice board already carries two boats for sale.""",
        "lighthouse",
    ),
    Story(
        "Port Alder opens a second reception centre as arrivals rise",
        "A former school will house up to 300 people while their asylum claims are heard. "
        "Neighbours were told two weeks ago.",
        ("migration", "diplomacy"),
        """\
Port Alder opened a second reception centre for asylum seekers on Tuesday, in a school that \
closed last year, after the number of people arriving by sea doubled over the summer.

The centre has beds for up to 300 people, a clinic and classrooms for children. The city's \
first centre, near the ferry terminal, has been full since July, and some families had spent \
nights in its waiting hall.

## A hurried start

Neighbours said they learned of the plan only two weeks ago, at a meeting called at short \
notice. About sixty people attended; most questions were about buses and the school's \
playground, which the city has promised to keep open to local children at weekends.

Paul Ekwueme, the mayor, said the timing was "not what anyone would have chosen" and that the \
national government had given the city a month's warning. The interior ministry said it was \
opening centres in four other towns.

Volunteers had already collected clothes and toys by the end of the first day. A local \
football club has offered its pitches on Saturday mornings.

Claims are meant to be decided within six months. Lawyers who work with the centre say the \
average is now closer to ten.""",
    ),
    Story(
        "Northern Federation drops visa rule for seasonal farm workers",
        "Pickers from neighbouring countries will no longer need a visa for stays of up to "
        "four months, in time for the spring harvest.",
        ("migration", "trade"),
        """\
The Northern Federation will let seasonal farm workers from six neighbouring countries stay \
for up to four months without a visa, its labour ministry said on Wednesday, reversing a rule \
that growers blamed for fruit left rotting on trees.

Under the rule, introduced three years ago, workers had to apply at a consulate and wait \
several weeks. Growers' associations say that about a fifth of last year's strawberry crop \
was never picked.

From March, workers will need only a contract from a registered farm and a passport. Farms \
must provide housing that meets a national standard and will be inspected at least once a \
season.

## Workers' groups cautious

Unions welcomed the change but said inspections had been too rare in the past. A report last \
year found workers sleeping in shipping containers on two farms near the border.

The ministry says it has hired forty inspectors and will publish the names of farms that fail \
twice. Growers say they expect the first workers in time for the asparagus harvest in April.

Costerra, which sends the largest number of seasonal workers, said it would open an office in \
the federation's capital to help its citizens with contracts and complaints.""",
        "fields",
    ),
    Story(
        "Ferry link between Solbrenn and Costerra to resume after two years",
        "The crossing closed when its operator went bankrupt. A new company will run it from "
        "May, with a smaller ship and fewer sailings.",
        ("trade", "diplomacy"),
        """\
The ferry between Solbrenn and the Costerran port of Vell will run again from May, two years \
after its operator went bankrupt and left the route without a ship.

A new company, owned by the two port authorities and a group of local investors, has bought \
a second-hand ferry from a Nordic operator. It carries 400 passengers and 80 cars, about half \
the capacity of the old ship.

There will be two crossings a day in summer and one in winter. Tickets will cost about the \
same as before for foot passengers and slightly more for cars.

## Missed by the islands

The closure hit the small islands along the route hardest. The old ferry called at two of \
them, and their residents have since relied on a weekly cargo boat with a handful of \
passenger seats.

The new timetable includes a stop at the larger island, Hallen, on every sailing. The smaller \
one will be served by a water taxi that meets the ferry.

Businesses in Solbrenn say the route brought about 60,000 visitors a year before it closed. \
Hotels in the old town have already started taking bookings for the summer.""",
        "ship",
    ),
    # Scheduled: goes live a few minutes after the demo is loaded.
    Story(
        "Foreign ministers meet in Kesterby to discuss pollution in the Alder river",
        "Fish deaths downstream of a paper mill have turned a border river into a diplomatic "
        "question.",
        ("diplomacy", "climate"),
        """\
Foreign ministers from Valdria and Costerra will meet in Kesterby on Friday to discuss \
pollution in the Alder river, weeks after thousands of dead fish were found downstream of a \
paper mill on the Costerran bank.

Tests by Valdrian scientists found high levels of chlorine compounds in the water for about \
twenty kilometres below the mill. The mill's owners say their discharge was within its permit \
and that a heatwave left the river unusually low.

Fishing has been banned on the stretch since the deaths were reported, and two villages have \
switched to bottled water as a precaution.

## A test for the new border commission

The meeting is the first since the two countries agreed where their border runs along the \
river. Diplomats on both sides say they want the new joint commission to take on water \
quality as well as surveying.

Environmental groups want more: public data from sensors on both banks, and a fund to restock \
the river paid for by the mill. Costerra's environment agency has opened an inquiry and says \
it will report by the end of the year.""",
        "globe",
    ),
]

POLITICS = [
    Story(
        "Parliament passes housing bill after all-night session",
        "The bill caps rent rises at inflation for three years and gives councils the right "
        "to buy empty homes. It passed by nine votes.",
        ("housing", "parliament"),
        """\
Parliament passed the housing bill shortly after six on Wednesday morning, ending a sitting \
that began at nine the day before and ran through more than 200 amendments.

The final vote was 112 to 103. Two members of the governing coalition voted against, and \
three opposition members abstained.

## What the bill does

Rent increases for existing tenants are capped at the rate of inflation for three years. \
Councils gain the right to buy homes that have stood empty for more than two years, at a \
price set by an independent valuer. A new register will list every landlord who lets more \
than five homes.

Landlords' associations called the cap "a blunt instrument" and warned that some owners would \
sell rather than let. Tenants' groups said it did not go far enough, because it does not \
cover new tenancies.

Ruth Castell, the opposition leader, said the government had "bought three years of quiet \
with someone else's money". The housing minister answered that the cap would be reviewed \
after two years, with figures published every quarter.

> Nobody in this chamber thinks three years solves the housing crisis. It buys time to build.

The bill now goes to the upper house, which can delay it by up to two months but cannot block \
it.""",
        "parliament",
    ),
    Story(
        "Transport levy faces its first test at next week's hearing",
        "Businesses in Port Alder will pay a small charge on their payroll to fund buses and "
        "trams. A court will hear whether the city may raise it.",
        ("budget", "parliament"),
        """\
Port Alder's transport levy, a charge on large employers that would pay for more buses and \
a new tram line, faces its first legal test at next week's hearing in the regional court.

The levy was approved by the city council in the spring. Employers with more than fifty staff \
would pay 0.4 per cent of their payroll, raising about 30 million a year.

A group of employers, led by the regional chamber of commerce, argues that only parliament may \
create a new tax and that the city has overstepped its powers. The city says the levy is a \
charge for a service, which councils have been allowed to set since the 1980s.

## Why it matters beyond Port Alder

Three other cities have said they will introduce similar levies if Port Alder's survives. The \
transport secretary, Anton Brekke, has said he is "watching with interest" but has not said \
whether the government would defend the city's case.

Oren Falk, who chairs the chamber of commerce, said his members supported better transport \
but wanted "a fair way to pay for it, agreed nationally".

The court is expected to rule within a month of the hearing. Until then, the city has agreed \
not to collect the levy.""",
        "chart",
    ),
    Story(
        "Coalition partners split over school funding formula",
        "The junior partner wants money to follow pupils with the greatest needs. The "
        "finance ministry says the budget cannot stretch.",
        ("budget", "elections"),
        """\
The two parties in the governing coalition are at odds over how to share out money for \
schools, a dispute that threatens to hold up next year's budget.

The junior partner wants a formula that gives schools more for each pupil from a low-income \
family, for each pupil learning the language and for each pupil with special needs. Its \
education spokesperson says the current formula "pays the same for every child and pretends \
that is fair".

The finance ministry has costed the proposal at about 140 million a year. Mira Sandoval, the \
finance minister, said the money could only come from other parts of the education budget, \
which would mean cuts for some schools.

## Small schools worried

Head teachers of small rural schools fear they would lose out. Their association says a \
village school with forty pupils cannot absorb a cut of even a few thousand.

Both parties say they want an agreement before the budget is presented next month. Talks \
between the two education spokespeople are due to resume on Monday.

Professor Ines Moreau, a political scientist, said budget disputes rarely break coalitions \
but often decide the next election. "Voters remember who fought for their school," she \
said.""",
        "books",
    ),
    Story(
        "Eastfield council delays vote on new tram line",
        "Councillors want a second study of the route after shopkeepers objected to two years "
        "of roadworks on the high street.",
        ("budget", "elections"),
        """\
Eastfield's council has postponed a vote on a new tram line to the city's northern suburbs, \
after shopkeepers on the high street warned that two years of roadworks would put some of \
them out of business.

The line would run for nine kilometres and carry an estimated 25,000 passengers a day. The \
council's preferred route follows the high street for the first kilometre, because the \
alternative would require demolishing a row of houses.

## A second study

Councillors voted by a narrow margin to commission a second study of the route, including \
the cost of running the line through a tunnel under the high street. The study will take \
about six months.

Traders welcomed the delay. "We are not against the tram," said the owner of a hardware shop \
that has been on the street since 1962. "We are against closing the street while it is \
built."

Campaigners for the tram said the delay could cost the city its share of national funding, \
which must be committed by the end of next year. The council says it will apply on time \
whatever the study finds.""",
        "tram",
    ),
    Story(
        "Five questions about lowering the voting age, answered",
        "Parliament will debate letting sixteen-year-olds vote in local elections. Here is "
        "what the change would mean.",
        ("elections", "parliament"),
        """\
A proposal to let sixteen- and seventeen-year-olds vote in local elections will be debated \
in parliament next month. Here are the main questions, and what we know so far.

## Who would get the vote?

About 110,000 young people, according to the statistics office. They would vote for city and \
district councils and for mayors, but not in national elections or referendums.

## Has it been tried elsewhere?

Yes. Aurelia lowered the voting age for local elections twelve years ago. Turnout among \
sixteen- and seventeen-year-olds there has been close to the average, and higher than among \
voters in their early twenties.

## Who supports it?

Two of the three largest parties, most youth organisations and the teachers' unions. The \
largest opposition party is against, arguing that the age of majority should be the same \
for every right and duty.

## What would change at school?

The bill would add a year of civic education to the curriculum, taught in the year before \
pupils can vote. Schools would also be allowed to host polling stations.

## When could it happen?

If the bill passes, the first elections with younger voters would be the local elections in \
two years' time.""",
        "ballot",
    ),
    Story(
        "Mira Sandoval defends the budget's spending cap",
        "The finance minister told parliament the cap was the only way to keep borrowing "
        "down. Her own party's backbenchers are not all convinced.",
        ("budget", "parliament"),
        """\
Mira Sandoval, the finance minister, defended the cap on public spending in next year's budget \
on Tuesday, telling parliament that without it the country's borrowing would rise for a \
fourth year running.

The cap limits growth in day-to-day spending to 1.5 per cent above inflation. Investment in \
railways, schools and hospitals is outside it, a change the minister called "the most \
important line in the budget".

## Backbench unease

Several members of her own party asked why pay for nurses and teachers should be held down \
while investment grew. One called the cap "a ceiling with nobody standing under it".

Ms Sandoval said pay would be settled by independent review bodies, as every year, and that \
the cap left room for their recommendations "if they are reasonable".

Dr Leila Haddad, an economist at Kesterby University, said the cap was tighter than it \
looked, because inflation was expected to fall. "In real terms, several ministries will have \
less money next year than this year," she said.

The budget debate continues for another week, with a final vote on the Thursday after.""",
        "parliament",
    ),
    Story(
        "Opposition calls for inquiry into ferry contract",
        "Ruth Castell says the ministry ignored a cheaper bid. The transport ministry says the "
        "winning bidder offered a newer ship.",
        ("parliament", "budget"),
        """\
The opposition has called for a parliamentary inquiry into how the transport ministry chose \
an operator for the ferry to the southern islands, after documents showed that a cheaper bid \
was turned down.

According to the documents, released under freedom of information rules, the losing bidder \
offered to run the route for about 4 million a year less over ten years. The ministry's \
evaluation gave the winning bidder higher marks for the age and reliability of its ship.

Ruth Castell, the opposition leader, said the difference was "too large to wave away with a \
score sheet". She asked whether anyone at the ministry had links to the winning company.

## The ministry's answer

Anton Brekke, the transport secretary, said the process had been checked by the public \
procurement office and that the cheaper bid relied on a ship built in 1991. "Islanders have \
had enough breakdowns," he said.

The procurement office confirmed it had reviewed the tender and found no irregularity, but \
said it had not been asked to look at possible conflicts of interest.

Parliament's transport committee will decide next week whether to hold hearings.""",
    ),
    Story(
        "Lindenau becomes first city to publish every council contract online",
        "From this month, any contract the city signs for more than 5,000 will appear on its "
        "website within ten days, with the price.",
        ("budget", "elections"),
        """\
Lindenau has become the first city in the country to publish every contract it signs above \
5,000 online, with the supplier, the price and the full text.

The register went live on Monday with about 1,800 contracts from the past two years. New \
contracts will be added within ten days of signing. Only passages covering security or \
personal data may be blacked out, and the city must say why.

## Why now

The city council voted for the register last year, after a local newspaper found that the \
same company had been paid to repair one school roof three times in four years.

Greta Lund, of the Port Alder tenants' association, said she hoped other cities would follow. \
"Every resident should be able to see what their council pays, and to whom," she said.

Some suppliers objected that prices would help their competitors. The city's answer is that \
anyone bidding for public money should expect the price to be public.

Researchers at Kesterby University plan to use the register to compare what different \
departments pay for the same services, and will publish their first findings in the spring.""",
        "network",
    ),
]

BUSINESS = [
    Story(
        "Harbourline Logistics to hire 400 in Port Alder as the harbour expands",
        "The company will run the new container terminal on the reclaimed land south of the "
        "old docks. Most of the jobs are for crane operators and drivers.",
        ("jobs", "trade"),
        """\
Harbourline Logistics will hire about 400 people in Port Alder to run the new container \
terminal being built on reclaimed land south of the old docks, the company said on Monday.

Most of the jobs are for crane operators, lorry and straddle-carrier drivers and \
maintenance staff. The company will train about half of the new staff itself, in a school it \
is opening with the city's technical college.

## A bigger harbour

The terminal is the largest part of the harbour's expansion, which will add two berths deep \
enough for the biggest container ships now calling at the region's ports. The first berth is \
due to open next autumn.

The harbour authority expects traffic through Port Alder to grow by about a third within five \
years. Residents of the streets nearest the terminal have asked for a noise barrier and limits \
on night-time lorry traffic, which the authority says it will consider.

Harbourline's chief executive said the company preferred to hire locally. "People who live \
here stay," she said. The union representing dock workers said it would seek a single \
agreement covering the old and new terminals.""",
        "cranes",
    ),
    Story(
        "Energy bills to fall in spring, Northwind Energy says",
        "The region's largest supplier will cut its standard tariff by about 8 per cent from "
        "April, as wholesale gas prices ease.",
        ("energy", "housing"),
        """\
Northwind Energy, the region's largest electricity and gas supplier, will cut its standard \
tariff by about 8 per cent from April, the company said on Thursday.

A typical household would save a little over 100 a year. The cut follows a fall in wholesale \
gas prices since the summer, as storage across the continent filled faster than expected.

## Not back to where they were

Even after the cut, bills will be about a third higher than three years ago. Consumer groups \
pointed out that standing charges, which households pay whatever they use, are not being \
reduced.

Northwind said it would also offer a fixed price for two years to customers who sign up \
before March, and a tariff with cheaper power overnight for homes with heat pumps or electric \
cars.

Households in arrears will be able to join a repayment plan without extra charges. The \
company says about one customer in twelve is behind on payments, twice as many as before the \
price rises.

The energy regulator is reviewing how suppliers set standing charges and will publish its \
proposals in the summer.""",
        "houses",
    ),
    Story(
        "Small shops in Kesterby warn of strain from rising rents",
        "Rents on the old market streets have risen by a quarter in two years. A bakery, a "
        "bookshop and a cobbler have already gone.",
        ("housing", "jobs"),
        """\
Shopkeepers in Kesterby's old market streets say rising rents are driving out the small \
independent shops that draw visitors to the town centre.

Rents for small shop units in the area have risen by about a quarter in two years, according \
to a survey by the town's traders' association. A bakery, a second-hand bookshop and a \
cobbler who had worked on the same corner for thirty years have closed since January.

## Who owns the street

More than half of the units are owned by two investment funds, which bought them from a local \
family trust four years ago. One of the funds said its rents reflected "the market value of a \
very attractive location" and that it offered shorter leases to new businesses.

Oren Falk, who chairs the regional chamber of commerce, said the town should consider buying \
a few units itself and letting them at lower rents to new businesses for their first years.

The council says it has no money for that but will ask the funds to agree a voluntary code, \
including longer notice before rent reviews.

Meanwhile the association has started a campaign asking residents to spend twenty a week in \
an independent shop.""",
        "shops",
    ),
    Story(
        "Kestrel Foods and unions agree trial of four-day week",
        "About 600 staff at the company's two bakeries will work four longer days for the same "
        "pay, starting in January.",
        ("jobs", "trade"),
        """\
Kestrel Foods, which makes bread and biscuits at two bakeries near Eastfield, has agreed with \
its unions to trial a four-day working week for about 600 staff from January.

Under the trial, staff will work four days of nine hours instead of five days of eight, for \
the same pay. The bakeries will keep running six days a week, with shifts arranged so that \
each line is always staffed.

## Why a bakery

Kestrel's managing director said the company was struggling to recruit and keep night-shift \
staff, and that a longer weekend was the one thing every applicant asked about.

The union said it had pushed for a shorter week without longer days, but accepted the trial as \
"a first step". Researchers from Kesterby University will follow the trial and compare \
sickness, staff turnover and output with the previous year.

Other food manufacturers in the region are watching. One said privately that a four-day week \
was easier to arrange in an office than on a production line, and that Kestrel's results would \
show whether it could work.

The trial will run for a year, after which staff will vote on whether to keep it.""",
    ),
    Story(
        "Container traffic through Marlow Bay hits an autumn record",
        "The port handled more containers in October than in any month since it opened. Much "
        "of the growth came from ships avoiding congested ports further north.",
        ("trade", "jobs"),
        """\
Marlow Bay handled more containers in October than in any month in its history, the port \
authority said on Friday, as shipping lines diverted vessels from congested ports further \
north.

The port moved the equivalent of about 96,000 standard containers last month, up 14 per cent \
on a year earlier. Much of the increase came from two shipping lines that added Marlow Bay to \
their routes in the summer.

## Room to grow, for now

The port says its quays are working at about 80 per cent of capacity, a level at which \
delays start to build. Its expansion plan, which would add a fifth berth, is waiting for \
planning permission.

Lorry drivers say the roads are already struggling. Queues at the port gate reached two \
kilometres on several mornings in October, and the port has started a booking system for \
collection slots.

Rail freight is growing faster than road. Tidewater Rail added three trains a week between the \
port and the inland terminal at Eastfield in September, and says they are full.""",
        "chart",
    ),
    Story(
        "Alder Mutual pension fund sells its last coal holdings",
        "The fund, which manages the savings of about 200,000 teachers and nurses, has sold "
        "shares in three mining companies.",
        ("energy", "climate"),
        """\
Alder Mutual, the pension fund for teachers, nurses and other public employees in the region, \
has sold its last shares in companies that mine coal, the fund said on Tuesday.

The holdings, in three mining companies, were worth about 45 million, a small part of a fund \
of nearly 30 billion. The fund said the sale completed a policy adopted two years ago after a \
vote of its members.

## Returns first

The fund's chief investment officer said the decision was about risk as much as principle. \
"Coal is a shrinking business, and we have a duty to pay pensions in forty years' time," she \
said.

Some members had argued the fund should have kept the shares and used its votes at \
shareholder meetings to push the companies to close mines sooner. The fund said it had tried \
that for five years, with little result.

Alder Mutual says it now holds about 2 billion in wind, solar and grid companies. It will \
publish the carbon footprint of its whole portfolio for the first time in its next annual \
report.""",
    ),
    Story(
        "Tidewater Rail orders twelve battery trains for the coastal line",
        "The trains will replace diesel units between Port Alder and Solbrenn, where "
        "electrifying the track would cost too much.",
        ("energy", "trade"),
        """\
Tidewater Rail has ordered twelve battery-powered trains to replace the diesel units on its \
coastal line between Port Alder and Solbrenn, the company said on Wednesday.

The trains will charge from overhead wires on the electrified stretch near Port Alder and run \
on their batteries for the remaining sixty kilometres, recharging at a new station charger in \
Solbrenn.

## Cheaper than wires

Electrifying the whole line would have cost about five times as much, the company said, \
because of its tunnels and bridges. The trains cost about the same as new diesel units and are \
expected to be cheaper to run.

Each train will have room for 220 seated passengers, forty more than the current units, and \
space for eight bicycles. The first will enter service in two years.

The transport secretary, Anton Brekke, welcomed the order and said battery trains could serve \
several other rural lines. Passenger groups asked for the timetable to be improved at the same \
time, with a train every hour instead of every two.""",
        "train",
    ),
    Story(
        "Why coffee costs twice as much at Eastfield's market stalls",
        "Bad harvests, dearer shipping and a weak currency have doubled the price of green "
        "coffee beans. Small roasters cannot absorb it.",
        ("trade", "jobs"),
        """\
A cup of coffee from the stalls at Eastfield's Saturday market now costs about twice what it \
did two years ago. The stallholders say they had little choice.

The price of the green beans roasters buy has doubled over the same period, after poor \
harvests in two of the largest growing countries. Shipping costs and a weaker currency have \
added to the bill.

## Small roasters squeezed

Large chains buy months ahead and can spread the rise over time. Small roasters buy a few \
sacks at a time. One roaster who supplies several stalls said her costs had risen faster \
than she could raise prices, and that she had stopped paying herself a salary in the summer.

Some stalls now offer a smaller cup at the old price. Others have added cheaper blends with \
beans from newer growing regions.

Economists expect prices to ease next year if harvests recover, but not to fall back to \
where they were. For now, the queue at the most popular stall is as long as ever.""",
        "shops",
    ),
    # Draft.
    Story(
        "Brightloom's sales fall as shoppers return to the high street",
        "The online homeware seller warned of a second weak quarter and is closing one of its "
        "two warehouses.",
        ("jobs", "trade"),
        """\
Brightloom, the online homeware seller that grew quickly during the years when shops were \
closed, said on Thursday that its sales fell by 9 per cent in the last quarter and warned that \
the current quarter would be weak too.

The company blamed shoppers returning to physical shops and cutting back on furniture and \
decorations. It will close one of its two warehouses, near Lindenau, with the loss of about \
120 jobs.

## Still profitable

Brightloom remains profitable, and its chief executive said the company would open two \
showrooms next year so that customers can see and touch the products before buying.

Shares in the company fell by about a fifth on the news. Analysts said the showrooms made \
sense but would take time to pay off.

Staff at the Lindenau warehouse were told on Thursday morning. The company says it will offer \
jobs at its other site to anyone willing to move.""",
        "phone",
    ),
    # In review.
    Story(
        "Port Alder's fish market gets a new roof and a second life",
        "The 1930s market hall will reopen in spring with fishmongers downstairs and a food "
        "hall above.",
        ("jobs", "housing"),
        """\
Port Alder's fish market, closed for two years after part of its roof collapsed in a storm, \
will reopen in the spring with a new roof, the same fishmongers on the ground floor and a \
food hall on a new upper level.

The city spent about 11 million on the work, which kept the 1930s concrete arches and replaced \
the glass roof with a copy of the original design.

## Fish first

The six fishmongers who traded in the old hall have been offered their places back at the \
same rent for five years. Four have accepted; two retired during the closure.

Upstairs, fourteen small kitchens will sell food made with fish and vegetables from the \
region. The city chose the traders from more than ninety applications.

Fishermen in the harbour hope the new hall will bring back customers who started shopping \
elsewhere while it was closed.""",
        "shops",
    ),
]

TECHNOLOGY = [
    Story(
        "Quillsoft releases an open-source mapping tool for local councils",
        "The tool lets councils publish planning applications, roadworks and bin collection "
        "rounds on one map, without paying for a licence.",
        ("internet", "startups"),
        """\
Quillsoft, a software company based in Lindenau, has released a mapping tool for local \
councils as open-source software, free for anyone to use and change.

The tool puts planning applications, roadworks, bin collection rounds and other council data \
on a single map that residents can search by street. Councils can run it on their own servers \
or on any hosting service.

## Why give it away

Quillsoft's founder said the company would earn its money by helping councils install and \
adapt the tool, not by selling licences. "Councils pay for the same software a hundred times \
over. They should be able to share it," he said.

Three councils, including Lindenau, tested the tool this year. Lindenau's says it now answers \
about a third fewer calls about roadworks.

Sam Otieno, a researcher at the Open Networks Institute, said the release was welcome but that \
the hard part would be keeping the data up to date. "A map is only as good as the last time \
someone checked it," he said.

The code and instructions are published on a public code-hosting site, and Quillsoft has \
promised to maintain it for at least five years.""",
        "globe",
    ),
    Story(
        "Regulator opens inquiry into Brightloom over data sharing",
        "The data protection authority wants to know whether the online retailer shared "
        "customers' purchase histories with advertisers without consent.",
        ("privacy", "internet"),
        """\
The national data protection authority has opened an inquiry into Brightloom, the online \
homeware retailer, over whether it shared customers' purchase histories with advertising \
companies without their consent.

The inquiry follows a complaint by a consumer group, which found that Brightloom's website \
sent details of items viewed and bought to more than twenty other companies. Customers were \
asked to accept cookies, but the group says the banner did not explain that purchase data \
would be shared.

## What Brightloom says

Brightloom said it took privacy seriously, that it used the data only to show customers \
relevant adverts, and that it would co-operate fully with the authority.

If the authority finds a breach, it can order the company to stop and impose a fine of up to \
4 per cent of its annual turnover. Inquiries of this kind usually take more than a year.

Sam Otieno, of the Open Networks Institute, said the case could set a standard for how \
online shops explain data sharing. "Accepting cookies is not the same as agreeing that your \
shopping list travels to twenty companies," he said.""",
        "network",
    ),
    Story(
        "Solbrenn tests delivery robots on its pavements",
        "Six small robots will carry groceries in two neighbourhoods for three months. "
        "Pedestrians' groups want them kept off narrow streets.",
        ("ai", "startups"),
        """\
Six delivery robots the size of a small suitcase began carrying groceries in two Solbrenn \
neighbourhoods on Monday, in a three-month trial approved by the city council.

The robots travel on pavements at walking pace, cross roads at pedestrian lights and are \
watched remotely by staff who can take over if one gets stuck. Customers unlock the lid with a \
code sent to their phone.

## Room on the pavement

Groups representing blind and older pedestrians asked the council to keep the robots off \
pavements narrower than two metres and to make sure they give way to people. The council \
added both conditions to the permit.

The company running the trial says each robot makes about fifteen deliveries a day. It hopes \
to show that robots can replace some van trips in the old town, where parking is scarce.

Residents interviewed on the first day were mostly curious. Several children followed one of \
the robots for a whole street.

The council will publish a report on the trial, including any complaints and accidents, when \
it ends.""",
        "shops",
    ),
    Story(
        "Researchers find gaps in the rules on facial recognition",
        "Police may use the technology at large events, but nobody checks how accurate it is, "
        "a study by the Open Networks Institute says.",
        ("privacy", "ai"),
        """\
The rules that govern police use of facial recognition leave important questions unanswered, \
researchers at the Open Networks Institute said in a report published on Tuesday.

Police forces may use cameras that compare faces in a crowd with a list of wanted people at \
large events, with a senior officer's approval. The report found that no independent body \
checks how accurate the systems are, or how often they wrongly flag someone.

## What the researchers propose

The report recommends independent testing before a system is used, publication of every \
deployment and the number of people stopped, and deletion of images of anyone not on a \
watch list within a day.

Two police forces that used the technology this year said they already deleted images \
quickly. One said its system had led to three arrests at a football match; it did not say how \
many people had been stopped by mistake.

The justice ministry said it would study the report. Members of parliament from three parties \
have asked for a debate before the technology is used more widely.""",
    ),
    Story(
        "A plain guide to encrypted messaging",
        "What end-to-end encryption protects, what it does not, and the settings worth "
        "checking on your phone.",
        ("privacy", "internet"),
        """\
Most popular messaging apps now encrypt messages so that only the sender and the recipient \
can read them. Here is what that means in practice.

## What it protects

End-to-end encryption means that your message is scrambled on your phone and unscrambled \
only on the recipient's. The company that runs the app, your mobile network and anyone \
listening on a public wifi network see only the scrambled version.

## What it does not

Encryption does not hide who you talk to, when and how often. Apps differ a lot in how much \
of that they keep. Nor does encryption help if someone can unlock your phone, or if the \
person you write to shares your message.

## Settings worth checking

Turn on a screen lock. Check whether your app backs up chats to an online service, and \
whether that backup is encrypted too. Consider disappearing messages for sensitive \
conversations.

Finally, verify the safety number or code of the people you talk to most. It takes a minute, \
and it tells you that nobody has slipped in between.

Kenji Watanabe answers readers' questions on encryption every other Friday. Write to the \
technology desk.""",
        "phone",
    ),
    Story(
        "The villages still waiting for fast broadband",
        "Nine in ten homes now have a fast connection. In the hills above Lindenau, the last "
        "tenth is still waiting, and the money has run out.",
        ("internet", "startups"),
        """\
Almost nine in ten homes in the region can now get a broadband connection of at least 100 \
megabits a second. In the hills above Lindenau, many are still waiting.

In the village of Hollbach, about 300 people share a connection that slows to a crawl every \
evening. The primary school sends homework on paper because families cannot download it.

## Why the last homes are the hardest

Laying fibre to a remote farmhouse can cost ten times as much as connecting a house in town. \
The national programme that paid for rural connections has spent its budget, and a second \
round is not due until next year.

Some villages have not waited. In Kleinau, residents formed a co-operative, dug the trenches \
themselves and hired a contractor to lay the cable. It took two years and cost each household \
about 400.

Satellite services are an option for the most isolated homes, but they are expensive and \
slower when the weather is bad. Hollbach's mayor says the village will try the co-operative \
route if the national money does not come.""",
        "houses",
    ),
    Story(
        "When a machine answers the council's phone",
        "Kesterby's council uses a chatbot to answer residents' questions. It handles most "
        "bin queries well; planning questions are another matter.",
        ("ai", "internet"),
        """\
Since the spring, residents who call or message Kesterby's council about bins, parking \
permits or council tax have first been answered by a chatbot.

The council says the bot now handles about 40 per cent of contacts without a human, mostly \
simple questions such as which bin goes out this week. Waiting times on the phone line have \
fallen from twelve minutes to four.

## Where it struggles

We tested the bot with twenty questions. It answered the ten about bins and permits \
correctly. Of the ten about planning, it answered four correctly, gave vague answers to four \
and wrongly said that a garden shed never needs permission.

The council says the bot always offers to pass the question to a person and that planning \
answers carry a warning. After our test, it removed the answer about sheds.

Greta Lund, of the Port Alder tenants' association, said older residents found the bot \
confusing. The council says the phone line to a person will stay open, and that the money \
saved pays for two more planning officers.""",
        "bubbles",
    ),
    Story(
        "App store rules change for small developers",
        "Developers who earn less than a million a year will pay a lower commission and may "
        "link to their own payment pages.",
        ("startups", "internet"),
        """\
The two largest app stores will change their rules for small developers from next month, \
cutting the commission they take and allowing apps to link to payment pages outside the \
store.

Developers who earn less than a million a year from their apps will pay a commission of 15 \
per cent instead of 30. All developers will be allowed to tell users about cheaper prices on \
their own websites, which had been banned.

## Pressure from regulators

The changes follow inquiries by competition authorities on three continents. The stores say \
the changes reflect feedback from developers.

Quillsoft, which sells a note-taking app alongside its council software, said the lower \
commission would save it about as much as one developer's salary each year.

Sam Otieno, of the Open Networks Institute, said the rules were still set by the stores \
alone. "A developer whose app is removed has nowhere else to go," he said.

Developers must opt in to the lower commission through their store account.""",
        "circuit",
    ),
    # Draft.
    Story(
        "How the city's open data portal could work better",
        "Port Alder publishes hundreds of data sets. Few people use them, and some have not "
        "been updated in years.",
        ("internet", "privacy"),
        """\
Port Alder's open data portal lists 640 data sets, from bus stop locations to the number of \
trees on each street. A review by the city's own auditors found that a third have not been \
updated for more than two years.

The portal was launched with fanfare a decade ago. Today it gets about 300 visits a month, \
most of them from the same few developers and researchers.

## What users want

Developers we spoke to asked for fewer data sets, kept up to date, with a clear date on \
each. Researchers asked for data on housing and transport that the city collects but does not \
publish.

The city says it will remove out-of-date data sets, add a named contact for each one and \
publish a schedule of updates. It will also ask residents which data they would use.

Sam Otieno, of the Open Networks Institute, said fewer, better data sets would do more good \
than a long list. "Nobody builds anything on data that might be three years old," he said.""",
        "chart",
    ),
]

OPINION = [
    Story(
        "Cycle lanes are not a war on drivers",
        "Every new lane in Port Alder starts the same argument. The evidence from our own "
        "streets should end it.",
        ("transport", "cities"),
        """\
Every time Port Alder paints a new cycle lane, someone writes to this newspaper to say that \
the city has declared war on drivers. I understand the feeling. I do not think it survives a \
look at the numbers.

When the lane on Quay Street opened two years ago, traffic counts showed the same number of \
cars using the street a year later, moving at almost the same speed. What changed was the \
number of bicycles, which tripled, and the number of injuries, which halved.

## Space is the real question

A city street is a fixed width. Giving part of it to bicycles means taking it from something \
else, usually parking. That is a real cost to the people who parked there, and they deserve \
an honest answer rather than a lecture.

The honest answer is that a parking space serves one car for hours, and a lane serves \
hundreds of people a day. Many of them are the children and pensioners who do not drive at \
all.

> A street is not a car park with houses along it.

Drivers benefit too, from fewer cars ahead of them at the lights. Nobody is at war. We are \
deciding how to share a street, and we should do it with the evidence in front of us.""",
        "bicycle",
    ),
    Story(
        "In defence of the public library",
        "Libraries are where a city keeps its quietest promise: that knowledge, warmth and "
        "a chair are free to anyone.",
        ("cities", "housing"),
        """\
When the council proposed shortening opening hours at four branch libraries last month, the \
reasoning was simple: fewer people borrow books than ten years ago. It is true, and it misses \
what libraries are for.

Spend an afternoon in the Eastfield branch and count. Students revising because there is no \
quiet room at home. A man filling in a benefits form on a library computer. Toddlers at a \
singing session while their parents talk to other adults for the first time all week.

## The cheapest warm room in town

In winter the library is also the only warm place where nobody expects you to buy anything. \
For a pensioner watching the heating bill, that matters more than the catalogue.

None of this shows up in borrowing figures. It should show up in how we judge a library's \
worth.

The savings the council hopes for are about 200,000 a year, a rounding error in its budget. \
Keep the doors open, and count the people who come in rather than the books that go out.""",
        "books",
    ),
    Story(
        "Night trains deserve a second chance",
        "A sleeper from Port Alder to the capital would replace hundreds of short flights. "
        "It needs a little public money and a lot of patience.",
        ("transport", "climate"),
        """\
Forty years ago you could board a sleeper in Port Alder after dinner and wake up in the \
capital in time for breakfast. The service was cut as flights became cheap. It is time to \
bring it back.

A night train does what a flight cannot: it turns travelling time into sleeping time. For a \
business meeting or a family visit, arriving rested in the city centre beats an early alarm, \
a taxi to the airport and a security queue.

## The numbers can work

Sleeper services that have returned elsewhere in recent years fill most of their beds, \
especially at weekends. They need help with the cost of the carriages and the track charges, \
which were set for fast day trains, not slow night ones.

The carbon saving is large. One full night train replaces about the number of passengers on \
two short flights, for a fraction of the emissions.

Tidewater Rail has said it would bid to run a service if the government paid for the \
carriages. That is a modest request for a route that could be running within three years.""",
        "train",
    ),
    Story(
        "What my neighbours taught me about the housing bill",
        "The people on my street are renters, owners and one small landlord. They agree on "
        "more than the debate in parliament suggests.",
        ("housing", "cities"),
        """\
Before parliament voted on the housing bill, I knocked on the doors of my street and asked my \
neighbours what they thought. It was not a scientific survey. It was more useful than most of \
the speeches.

The young couple at number six rent and have moved three times in four years, each time \
because the rent went up faster than their pay. They welcomed the cap, and asked why it does \
not apply when they move.

The retired teacher at number nine lets out the flat above her own. She fears the cap will \
stop her covering the cost of a new roof. She also said she had never raised the rent by more \
than inflation anyway.

## Common ground

What struck me was how much they shared. Everyone wanted rents that rise predictably. Nobody \
defended the large funds buying whole streets. Everyone thought there were not enough homes.

Parliament has given itself three years. It should use them to build, and to write rules \
that the people on my street would recognise as fair.""",
        "houses",
    ),
    Story(
        "The quiet case for the four-day week",
        "The trial at Kestrel Foods will be judged on output. It should also be judged on "
        "what people do with the fifth day.",
        ("cities", "transport"),
        """\
Most arguments for the four-day week are about productivity: rested people work better, so \
the company loses nothing. The trial starting at Kestrel Foods in January will test that \
claim, and I hope it succeeds. But it is not the case I find most convincing.

The better case is about time. A fifth free day is a day for the doctor's appointment that \
would otherwise cost half a day's leave, for the elderly parent who needs a lift, for the \
school play.

It is also time for the things that hold a town together and that nobody is paid for: \
coaching the under-tens, running the food bank, sitting on the board of the tenants' \
association. Ask any volunteer organiser how much harder recruiting has become.

## Who gets it

The risk is that the four-day week becomes a perk for office workers while those in shops, \
hospitals and warehouses keep five days or more. Kestrel's trial matters because it is on a \
factory floor, where the arithmetic is harder.

If it works there, the argument changes. If it fails, we should ask why, rather than conclude \
that time off is only for those who work at a desk.""",
    ),
    Story(
        "Local newspapers keep towns honest. Pay for one.",
        "Lindenau's contract register exists because a reporter asked about a roof. That kind "
        "of question costs money.",
        ("cities", "housing"),
        """\
Lindenau now publishes every council contract online. Readers of this column will know how \
that happened: a reporter at the town's paper noticed that the same school roof had been \
repaired three times in four years, and kept asking why.

That story took weeks of requests, phone calls and waiting. Nobody would have written it if \
the paper had not paid someone to do nothing else.

## Fewer people asking

Towns that lose their local paper tend to see higher council costs and lower turnout at local \
elections, according to several studies. It is not hard to see why. When nobody is watching, \
fewer questions get asked.

Most local papers now survive on a few thousand subscribers. A subscription costs about as \
much as a coffee a week.

I write for a paper, so I am not neutral. But if you value knowing what is done in your name \
with your money, pay for the people who find out. It does not have to be this one.""",
        "bubbles",
    ),
    Story(
        "Port Alder deserves better than another car park",
        "The old gasworks site is the largest empty plot in the city. The plan for it is "
        "five floors of parking.",
        ("cities", "transport"),
        """\
The old gasworks site by the river is the largest empty plot left in central Port Alder. The \
city's plan for it is a car park of five floors with a row of shops at street level. We can \
do better.

The site is a ten-minute walk from the station and the old town. It could hold about 400 \
homes, a school and a park along the river, and still have room for the bus interchange the \
city has promised for a decade.

## The car park argument

The case for parking is that shoppers in the old town need it. But the old town already has \
three car parks that are rarely full on weekdays, and the new tram stop will bring more \
people than another car park could.

Building homes on the site would take longer and cost more to plan. It would also give the \
city something it badly needs, in a place where people could live without a car.

The council consults on the plan until the end of the month. Tell it what you think.""",
        "tram",
    ),
    Story(
        "Stop building homes nobody can afford to heat",
        "New homes still go up with gas boilers and thin walls. Every one is a bill that "
        "somebody will pay for fifty years.",
        ("housing", "climate"),
        """\
Half the new homes completed in the region last year were heated with gas boilers. Many were \
built to the minimum standard for insulation, which has barely changed in fifteen years. \
Each of them is a future bill.

Fitting a heat pump and good insulation when a home is built costs a few thousand more. \
Adding them later costs several times as much, and means tearing up floors and walls that \
were finished only a few years earlier.

## Who pays

The builder saves the money; the buyer, or the tenant, pays the higher bills. That is why the \
market alone will not fix it.

The government has promised a new standard in three years. It should come sooner, and it \
should be enforced on site, not just on paper.

In the meantime councils can insist on better standards on land they sell. Port Alder's \
gasworks site would be a good place to start.""",
        "houses",
    ),
    # Draft.
    Story(
        "Why I changed my mind about congestion charges",
        "I opposed a charge for years. Three months of watching buses stuck behind cars on "
        "Harbour Road changed my mind.",
        ("transport", "cities"),
        """\
For years I argued against a congestion charge for central Port Alder. It seemed to me a tax \
on people who had no other way to get to work. I have changed my mind.

What changed it was Harbour Road at eight in the morning. For three months I took the number \
12 bus and watched it sit behind cars, most with a single person inside, while the bus lane \
stopped short of the junction.

## A charge that pays for the alternative

A charge only makes sense if the money pays for the buses and trams that make driving \
unnecessary, and if people on low incomes who must drive get a discount.

Cities that have tried it saw traffic fall by about a fifth in the first year, and buses \
speed up. Shops in the charged area did not suffer, despite the warnings; several reported \
more customers on foot.

Designed that way, a charge is not a tax on the poor. It is a way to make the bus faster for \
the people who already take it, most of whom earn less than the drivers around them.""",
        "bubbles",
    ),
]

STORIES = {
    "world": WORLD,
    "politics": POLITICS,
    "business": BUSINESS,
    "technology": TECHNOLOGY,
    "opinion": OPINION,
}
