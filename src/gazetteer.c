/* gazetteer - the compiled-in word lists and the phrase matcher (see
 * gazetteer.h). Lists are written by us from general knowledge: lowercase,
 * tokens split as CoreNLP splits them ("u.s." is one token), phrases
 * separated by '|'. Spelling variants are listed rather than guessed. */
#include "gazetteer.h"

#include "hearsay.h"

#include <stdlib.h>
#include <string.h>

static const char outlets[] =
    "nbc|nbc news|abc|abc news|cbs|cbs news|cnn|msnbc|fox|fox news|fox news channel|"
    "fox business|pbs|npr|c-span|bbc|bbc news|reuters|associated press|ap|afp|"
    "agence france-presse|bloomberg|bloomberg news|new york times|times|washington post|"
    "wall street journal|usa today|los angeles times|la times|chicago tribune|boston globe|"
    "new york post|new york daily news|daily news|houston chronicle|dallas morning news|"
    "miami herald|san francisco chronicle|philadelphia inquirer|denver post|"
    "des moines register|arizona republic|seattle times|atlanta journal-constitution|"
    "tampa bay times|orlando sentinel|detroit free press|star tribune|"
    "st. louis post-dispatch|baltimore sun|las vegas review-journal|union leader|"
    "politico|the hill|hill|axios|vox|slate|salon|huffington post|huffpost|huff post|"
    "buzzfeed|buzzfeed news|breitbart|breitbart news|daily caller|daily beast|"
    "drudge report|national review|weekly standard|washington examiner|washington times|"
    "mother jones|the nation|new republic|the atlantic|atlantic|new yorker|time magazine|"
    "newsweek|vanity fair|rolling stone|the guardian|guardian|the independent|the telegraph|"
    "daily telegraph|daily mail|the times|financial times|the economist|economist|"
    "der spiegel|le monde|al jazeera|russia today|rt|sputnik|xinhua|tass|ria novosti|"
    "nhk|cbc|abc news australia|sky news|itv|channel 4|france 24|deutsche welle|"
    "infowars|the blaze|blaze|newsmax|one america news|oann|talking points memo|"
    "real clear politics|realclearpolitics|fivethirtyeight|538|propublica|"
    "the intercept|intercept|mediaite|the wrap|variety|hollywood reporter|"
    "entertainment weekly|people magazine|tmz|business insider|forbes|fortune|cnbc|"
    "marketwatch|yahoo news|yahoo|aol news|vice|vice news|univision|telemundo|"
    "wnyc|wabc|wcbs|kcbs|wbur|hbo|showtime|comedy central|espn|nbc nightly news|"
    "meet the press|face the nation|this week|fox news sunday|state of the union|"
    "good morning america|today show|morning joe|hardball|60 minutes|the view|"
    "hannity|the o'reilly factor|o'reilly factor|anderson cooper 360|the daily show|"
    "cnn money|wired|the verge|techcrunch|gawker|jezebel|the onion|"
    "christian science monitor|la opinion|el pais|haaretz|jerusalem post|times of israel|"
    "south china morning post|the australian|sydney morning herald|toronto star|"
    "globe and mail|national post|irish times|the sun|the mirror|daily express|"
    "evening standard|observer|new york magazine|the cut|gq|esquire|the new york times|"
    "the washington post|the wall street journal|the new yorker|the daily beast|"
    "the daily caller|the huffington post|the associated press|the boston globe";

static const char titles[] =
    "president|vice president|president-elect|former president|sen.|senator|sens.|"
    "rep.|reps.|representative|congressman|congresswoman|gov.|governor|lt. gov.|"
    "lieutenant governor|mayor|secretary|secretary of state|attorney general|"
    "foreign minister|prime minister|deputy prime minister|finance minister|"
    "defense minister|interior minister|minister|chancellor|king|queen|prince|princess|"
    "pope|cardinal|bishop|rev.|reverend|pastor|rabbi|imam|dr.|doctor|prof.|professor|"
    "mr.|mrs.|ms.|miss|sir|dame|lord|lady|gen.|general|lt.|lieutenant|col.|colonel|"
    "maj.|major|capt.|captain|sgt.|sergeant|adm.|admiral|cmdr.|commander|"
    "chief justice|justice|judge|speaker|house speaker|majority leader|minority leader|"
    "chairman|chairwoman|chair|ceo|chief executive|spokesman|spokeswoman|spokesperson|"
    "press secretary|chief of staff|ambassador|director|commissioner|sheriff|"
    "ayatollah|sheikh|emir|sultan|crown prince|first lady|candidate|nominee|"
    "strategist|adviser|advisor|aide|campaign manager|pollster|anchor|host|"
    "correspondent|reporter|columnist|editor|analyst|jr.|sr.";

static const char countries[] =
    "united states|u.s.|us|usa|u.s.a.|america|united states of america|canada|mexico|"
    "brazil|argentina|chile|peru|colombia|venezuela|ecuador|bolivia|paraguay|uruguay|"
    "cuba|haiti|dominican republic|puerto rico|jamaica|guatemala|honduras|el salvador|"
    "nicaragua|costa rica|panama|britain|great britain|united kingdom|u.k.|uk|england|"
    "scotland|wales|northern ireland|ireland|france|germany|italy|spain|portugal|"
    "netherlands|holland|belgium|luxembourg|switzerland|austria|denmark|norway|sweden|"
    "finland|iceland|poland|czech republic|slovakia|hungary|romania|bulgaria|greece|"
    "turkey|cyprus|malta|serbia|croatia|bosnia|slovenia|albania|kosovo|macedonia|"
    "montenegro|ukraine|belarus|moldova|russia|georgia|armenia|azerbaijan|estonia|"
    "latvia|lithuania|kazakhstan|uzbekistan|turkmenistan|kyrgyzstan|tajikistan|"
    "afghanistan|pakistan|india|bangladesh|sri lanka|nepal|bhutan|china|japan|"
    "south korea|north korea|korea|taiwan|mongolia|vietnam|laos|cambodia|thailand|"
    "myanmar|burma|malaysia|singapore|indonesia|philippines|australia|new zealand|"
    "iran|iraq|syria|lebanon|israel|jordan|saudi arabia|yemen|oman|qatar|kuwait|bahrain|"
    "united arab emirates|uae|egypt|libya|tunisia|algeria|morocco|sudan|south sudan|"
    "ethiopia|eritrea|somalia|kenya|uganda|tanzania|rwanda|burundi|congo|nigeria|ghana|"
    "senegal|mali|niger|chad|cameroon|ivory coast|liberia|sierra leone|guinea|angola|"
    "zambia|zimbabwe|mozambique|namibia|botswana|south africa|madagascar|palestine|"
    "gaza|west bank|crimea|chechnya|tibet|hong kong|vatican|soviet union|ussr|"
    "european union|eu|middle east|europe|asia|africa|latin america|south america|"
    "north america|central america|caribbean|scandinavia|balkans|persian gulf|"
    "arctic|antarctica|pacific|atlantic";

static const char states[] =
    "alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|"
    "georgia|hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|"
    "maryland|massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|"
    "nevada|new hampshire|new jersey|new mexico|new york|north carolina|north dakota|"
    "ohio|oklahoma|oregon|pennsylvania|rhode island|south carolina|south dakota|"
    "tennessee|texas|utah|vermont|virginia|washington|west virginia|wisconsin|wyoming|"
    "district of columbia|d.c.|ala.|ariz.|ark.|calif.|colo.|conn.|del.|fla.|ga.|ill.|"
    "ind.|kan.|ky.|la.|md.|mass.|mich.|minn.|miss.|mo.|mont.|neb.|nev.|n.h.|n.j.|"
    "n.m.|n.y.|n.c.|n.d.|okla.|ore.|pa.|r.i.|s.c.|s.d.|tenn.|tex.|vt.|va.|wash.|"
    "w.va.|wis.|wyo.|ontario|quebec|british columbia|alberta|texas panhandle|"
    "new england|midwest|rust belt|silicon valley|appalachia|deep south";

static const char cities[] =
    "new york|new york city|nyc|los angeles|chicago|houston|phoenix|philadelphia|"
    "san antonio|san diego|dallas|san jose|austin|jacksonville|san francisco|columbus|"
    "fort worth|indianapolis|charlotte|seattle|denver|washington|boston|el paso|nashville|"
    "detroit|oklahoma city|portland|las vegas|memphis|louisville|baltimore|milwaukee|"
    "albuquerque|tucson|fresno|sacramento|kansas city|atlanta|miami|raleigh|omaha|"
    "minneapolis|cleveland|tulsa|oakland|tampa|new orleans|wichita|pittsburgh|cincinnati|"
    "st. louis|orlando|buffalo|des moines|manchester|concord|columbia|charleston|"
    "richmond|norfolk|reno|salt lake city|honolulu|anchorage|boise|madison|lansing|"
    "flint|dearborn|toledo|akron|dayton|harrisburg|scranton|erie|albany|hartford|"
    "providence|newark|jersey city|trenton|annapolis|birmingham|montgomery|little rock|"
    "jackson|baton rouge|savannah|palm beach|west palm beach|mar-a-lago|fort lauderdale|"
    "san bernardino|orange county|long beach|santa monica|hollywood|beverly hills|"
    "brooklyn|manhattan|queens|the bronx|bronx|staten island|harlem|ferguson|"
    "london|paris|berlin|rome|madrid|lisbon|amsterdam|brussels|vienna|geneva|zurich|"
    "stockholm|oslo|copenhagen|helsinki|warsaw|prague|budapest|bucharest|athens|"
    "istanbul|ankara|moscow|st. petersburg|kiev|kyiv|minsk|dublin|edinburgh|glasgow|"
    "beijing|shanghai|hong kong|tokyo|osaka|seoul|pyongyang|taipei|bangkok|hanoi|"
    "manila|jakarta|singapore|kuala lumpur|new delhi|delhi|mumbai|karachi|islamabad|"
    "kabul|tehran|baghdad|mosul|fallujah|damascus|aleppo|raqqa|beirut|jerusalem|"
    "tel aviv|amman|riyadh|mecca|medina|dubai|abu dhabi|doha|cairo|tripoli|benghazi|"
    "tunis|algiers|casablanca|lagos|nairobi|johannesburg|cape town|addis ababa|"
    "sydney|melbourne|toronto|montreal|vancouver|ottawa|mexico city|havana|caracas|"
    "bogota|lima|santiago|buenos aires|rio de janeiro|sao paulo|brasilia|"
    "capitol hill|wall street|white house|pentagon|kremlin|downing street|"
    "silicon valley|hollywood|las vegas strip|guantanamo|guantanamo bay";

static const char demonyms[] =
    "american|americans|canadian|canadians|mexican|mexicans|british|briton|britons|"
    "english|scottish|irish|welsh|french|german|germans|italian|italians|spanish|"
    "portuguese|dutch|belgian|swiss|austrian|swedish|norwegian|danish|finnish|polish|"
    "czech|hungarian|romanian|greek|greeks|turkish|turks|russian|russians|ukrainian|"
    "ukrainians|georgian|armenian|chinese|japanese|korean|koreans|north korean|"
    "south korean|vietnamese|thai|filipino|indonesian|indian|indians|pakistani|"
    "pakistanis|afghan|afghans|iranian|iranians|iraqi|iraqis|syrian|syrians|lebanese|"
    "israeli|israelis|palestinian|palestinians|jordanian|saudi|saudis|yemeni|emirati|"
    "egyptian|egyptians|libyan|tunisian|moroccan|algerian|nigerian|kenyan|ethiopian|"
    "somali|sudanese|south african|australian|australians|brazilian|argentine|"
    "argentinian|colombian|venezuelan|cuban|cubans|puerto rican|haitian|dominican|"
    "salvadoran|guatemalan|honduran|european|europeans|asian|asians|african|africans|"
    "african-american|african-americans|african american|african americans|"
    "latino|latinos|latina|latinas|hispanic|hispanics|arab|arabs|arabic|kurdish|kurds|"
    "persian|jewish|jews|jew|muslim|muslims|islamic|islam|christian|christians|"
    "christianity|catholic|catholics|protestant|protestants|evangelical|evangelicals|"
    "mormon|mormons|baptist|methodist|lutheran|presbyterian|episcopal|orthodox|"
    "sunni|sunnis|shiite|shiites|shia|sikh|hindu|hindus|buddhist|buddhists|"
    "atheist|atheists|texan|texans|californian|californians|floridian|new yorker|"
    "new yorkers|iowan|iowans|ohioan|midwestern|southern|western|soviet|"
    "anglo|caucasian|native american|native americans|asian-american|asian-americans|"
    "mexican-american|mexican-americans|irish-american|jewish-american|"
    "hispanic-american|hispanic-americans";

static const char firsts[] =
    "james|john|robert|michael|william|david|richard|joseph|thomas|charles|christopher|"
    "daniel|matthew|anthony|mark|donald|steven|paul|andrew|joshua|kenneth|kevin|brian|"
    "george|timothy|ronald|edward|jason|jeffrey|ryan|jacob|gary|nicholas|eric|jonathan|"
    "stephen|larry|justin|scott|brandon|benjamin|samuel|gregory|alexander|frank|patrick|"
    "raymond|jack|dennis|jerry|tyler|aaron|jose|adam|nathan|henry|douglas|zachary|peter|"
    "kyle|noah|ethan|jeremy|walter|christian|keith|roger|terry|austin|sean|gerald|carl|"
    "harold|dylan|arthur|lawrence|jordan|jesse|bryan|billy|bruce|gabriel|joe|logan|"
    "albert|willie|alan|eugene|russell|vincent|philip|bobby|johnny|bradley|roy|ralph|"
    "mary|patricia|jennifer|linda|elizabeth|barbara|susan|jessica|sarah|karen|lisa|"
    "nancy|betty|sandra|margaret|ashley|kimberly|emily|donna|michelle|carol|amanda|"
    "melissa|deborah|stephanie|dorothy|rebecca|sharon|laura|cynthia|amy|kathleen|"
    "angela|shirley|brenda|emma|anna|pamela|nicole|samantha|katherine|christine|helen|"
    "debra|rachel|carolyn|janet|maria|catherine|heather|diane|olivia|julie|joyce|"
    "victoria|ruth|virginia|lauren|kelly|christina|joan|evelyn|judith|andrea|hannah|"
    "megan|cheryl|jacqueline|martha|madison|teresa|gloria|sara|janice|ann|kathryn|"
    "abigail|sophia|frances|jean|alice|judy|isabella|julia|grace|amber|denise|danielle|"
    "marilyn|beverly|charlotte|natalie|theresa|diana|brittany|doris|kayla|alexis|lori|"
    "hillary|bernie|barack|ted|marco|jeb|ben|chris|carly|mike|rand|rick|bill|bob|tom|"
    "jim|tim|dan|dick|newt|mitt|sarah|nikki|ivanka|melania|eric|jared|reince|kellyanne|"
    "corey|paul|sean|steve|rudy|jeff|mitch|harry|elizabeth|chuck|nancy|debbie|huma|"
    "chelsea|michelle|joe|tammy|kirsten|cory|tulsi|martin|lindsey|jon|rob|kasich|"
    "vladimir|xi|angela|theresa|boris|emmanuel|francois|benjamin|bashar|recep|kim|"
    "justin|enrique|nicolas|hassan|ali|mohammed|muhammad|ahmed|omar|abdul|hamid|"
    "khalid|ibrahim|juan|carlos|luis|miguel|jorge|pedro|pablo|francisco|antonio|"
    "manuel|javier|alejandro|fernando|ricardo|rafael|sergio|jesus|mario|eduardo|"
    "wolf|anderson|rachel|megyn|bret|chris|lester|jake|chuck|dana|george|katy|"
    "donald|hillary|bernard|marco|theodore|rafael|jeffrey|john|carla|madeleine|"
    "condoleezza|colin|dick|al|jimmy|ronald|gerald|lyndon|franklin|abraham|woodrow|"
    "dwight|harry|calvin|herbert|ulysses|thomas|alexander|andrew|ivan|sergei|dmitry|"
    "alexei|viktor|igor|yuri|olga|natalia|irina|wang|li|zhang|liu|chen|yang|hiroshi|"
    "shinzo|narendra|rahul|sonia|priya|raj|amit|sanjay";

static const char orgs[] =
    "congress|senate|house|house of representatives|supreme court|white house|"
    "pentagon|state department|justice department|department of justice|"
    "department of defense|department of homeland security|homeland security|"
    "defense department|treasury|treasury department|fbi|cia|nsa|dhs|doj|dod|epa|fda|"
    "irs|fec|fcc|sec|ftc|nasa|cdc|nih|atf|dea|ice|tsa|fema|va|usda|hud|nato|un|u.n.|"
    "united nations|security council|world bank|imf|international monetary fund|wto|"
    "who|world health organization|opec|g7|g20|red cross|amnesty international|"
    "human rights watch|isis|isil|islamic state|al qaeda|al-qaeda|taliban|hamas|"
    "hezbollah|boko haram|al-shabab|muslim brotherhood|kkk|ku klux klan|"
    "republican party|democratic party|gop|rnc|dnc|republican national committee|"
    "democratic national committee|tea party|libertarian party|green party|"
    "labour party|conservative party|freedom caucus|house freedom caucus|"
    "congressional black caucus|senate judiciary committee|judiciary committee|"
    "house intelligence committee|senate intelligence committee|"
    "house oversight committee|armed services committee|super pac|"
    "national rifle association|nra|aclu|naacp|planned parenthood|heritage foundation|"
    "cato institute|brookings institution|club for growth|chamber of commerce|"
    "afl-cio|seiu|black lives matter|moveon|moveon.org|media matters|"
    "southern poverty law center|splc|clinton foundation|trump organization|"
    "trump university|priorities usa|right to rise|american crossroads|"
    "koch brothers|americans for prosperity|federal reserve|fed|"
    "harvard|harvard university|yale|stanford|princeton|columbia university|mit|"
    "georgetown|quinnipiac|quinnipiac university|monmouth university|marist|gallup|"
    "pew|pew research center|rasmussen|ppp|public policy polling|emerson college|"
    "suffolk university|google|apple|microsoft|amazon|facebook|twitter|instagram|"
    "youtube|snapchat|reddit|netflix|uber|tesla|ibm|intel|goldman sachs|jpmorgan|"
    "jpmorgan chase|morgan stanley|citigroup|bank of america|wells fargo|exxon|"
    "exxonmobil|chevron|boeing|lockheed martin|general motors|gm|ford|toyota|"
    "walmart|wal-mart|coca-cola|pepsi|mcdonald's|starbucks|disney|comcast|"
    "time warner|at&t|verizon|pfizer|carrier|nabisco|trump tower|"
    "kremlin|politburo|knesset|parliament|bundestag|duma|european commission|"
    "hillary for america|obamacare|affordable care act";

static const char orgwords[] =
    "university|college|institute|foundation|association|society|council|committee|"
    "commission|department|ministry|agency|administration|bureau|office|board|"
    "party|caucus|union|federation|league|coalition|alliance|corporation|corp.|"
    "inc.|co.|ltd.|llc|company|group|bank|fund|trust|center|centre|church|"
    "network|news|times|post|journal|herald|tribune|magazine|press|gazette|register|"
    "review|daily|television|radio|channel|court|army|navy|force|forces|police|"
    "school|hospital|airlines|motors|systems|technologies|industries|holdings|"
    "partners|project|campaign|pac|academy|club|team";

static const char locwords[] =
    "county|city|state|river|lake|mountain|mountains|mount|mt.|island|islands|bay|"
    "valley|street|st.|avenue|ave.|road|boulevard|square|park|beach|coast|gulf|sea|"
    "ocean|desert|canyon|peninsula|province|region|district|township|village|"
    "heights|springs|falls|harbor|port|airport|bridge|border|north|south|east|west|"
    "northern|southern|eastern|western|central|upper|lower|new|fort|san|santa|saint|"
    "los|las|el";

static const char miscs[] =
    "republican|republicans|democratic|democrat|democrats|gop|conservative|liberal|"
    "libertarian|progressive|christmas|easter|thanksgiving|ramadan|hanukkah|"
    "super bowl|olympics|world cup|world war|world war ii|cold war|vietnam war|"
    "iraq war|civil war|holocaust|brexit|obamacare|medicare|medicaid|social security|"
    "patriot act|affordable care act|second amendment|first amendment|constitution|"
    "bill of rights|declaration of independence|iowa caucuses|super tuesday|"
    "republican national convention|democratic national convention|"
    "state of the union|twitter|facebook|instagram|iphone|android|nobel|nobel prize|"
    "pulitzer|oscar|oscars|emmy|grammy|bible|koran|quran|torah|sharia";

/* Indexed by category. */
static const char *const lists[GAZ_NCAT] = {
    outlets, titles, countries, states, cities, demonyms, firsts,
    orgs, orgwords, locwords, miscs,
};
static const char *const names[GAZ_NCAT] = {
    "outlet", "title", "country", "state", "city", "demonym", "first",
    "org", "orgword", "locword", "misc",
};

const char *gaz_cat_name(unsigned cat) { return cat < GAZ_NCAT ? names[cat] : "?"; }

uint64_t gaz_token_hash(const char *s, size_t n)
{
    uint64_t h = 0x84222325cbf29ce4ull;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        h = (h ^ c) * 0x100000001b3ull;
    }
    return h;
}

/* Hash of a phrase extended by one token; never 0 (0 marks an empty slot). */
static uint64_t extend(uint64_t h, uint64_t tok)
{
    h = (h ^ tok) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
    return h ? h : 1;
}

static uint32_t *slot(const gaz *g, uint64_t k, int *found)
{
    uint32_t mask = g->cap - 1, i = (uint32_t)(k ^ (k >> 32)) & mask;
    while (g->key[i] && g->key[i] != k)
        i = (i + 1) & mask;
    *found = g->key[i] == k;
    return &g->val[i];
}

static void put(gaz *g, uint64_t k, uint32_t v)
{
    int found;
    uint32_t *p = slot(g, k, &found);
    if (!found)
        g->key[p - g->val] = k;
    *p |= v;
}

int gaz_empty(gaz *g, size_t nkeys)
{
    g->cap = 64;
    while (g->cap < nkeys * 2 + 2)
        g->cap *= 2;
    g->key = calloc(g->cap, sizeof *g->key);
    g->val = calloc(g->cap, sizeof *g->val);
    if (!g->key || !g->val) {
        gaz_free(g);
        return HS_ENOMEM;
    }
    return HS_OK;
}

int gaz_init(gaz *g)
{
    size_t n = 0;
    for (unsigned c = 0; c < GAZ_NCAT; c++)
        for (const char *p = lists[c]; *p; p++)
            n += *p == '|' || *p == ' ';
    if (gaz_empty(g, (n + GAZ_NCAT) * 2))
        return HS_ENOMEM;
    for (unsigned c = 0; c < GAZ_NCAT; c++) {
        const char *p = lists[c];
        while (*p) {
            uint64_t h = 0;
            size_t ntok = 0;
            for (;;) {
                size_t l = strcspn(p, " |");
                if (ntok)
                    put(g, h, GAZ_PREFIX);
                h = extend(h, gaz_token_hash(p, l));
                ntok++;
                p += l;
                if (*p != ' ')
                    break;
                p++;
            }
            if (ntok <= GAZ_MAXLEN)
                put(g, h, 1u << c);
            if (*p == '|')
                p++;
        }
    }
    return HS_OK;
}

void gaz_free(gaz *g)
{
    free(g->key);
    free(g->val);
    memset(g, 0, sizeof *g);
}

void gaz_add(gaz *g, const uint64_t *tok_hash, size_t n, unsigned cat)
{
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            put(g, h, GAZ_PREFIX);
        h = extend(h, tok_hash[i]);
    }
    if (n && n <= GAZ_MAXLEN)
        put(g, h, 1u << cat);
}

int gaz_write(const gaz *g, buf *out)
{
    uint32_t head[2] = {g->cap, 0};
    if (buf_append(out, head, sizeof head) ||
        buf_append(out, g->key, (size_t)g->cap * sizeof *g->key) ||
        buf_append(out, g->val, (size_t)g->cap * sizeof *g->val))
        return HS_ENOMEM;
    return HS_OK;
}

int gaz_read(gaz *g, const void *p, size_t n)
{
    memset(g, 0, sizeof *g);
    uint32_t head[2];
    if (n < sizeof head)
        return HS_EMODEL;
    memcpy(head, p, sizeof head);
    uint32_t cap = head[0];
    if (cap < 2 || (cap & (cap - 1)) || cap > (1u << 26) ||
        n != sizeof head + (size_t)cap * (sizeof *g->key + sizeof *g->val))
        return HS_EMODEL;
    g->key = malloc((size_t)cap * sizeof *g->key);
    g->val = malloc((size_t)cap * sizeof *g->val);
    if (!g->key || !g->val) {
        gaz_free(g);
        return HS_ENOMEM;
    }
    const char *q = (const char *)p + sizeof head;
    memcpy(g->key, q, (size_t)cap * sizeof *g->key);
    memcpy(g->val, q + (size_t)cap * sizeof *g->key, (size_t)cap * sizeof *g->val);
    size_t used = 0;
    for (uint32_t i = 0; i < cap; i++)
        used += g->key[i] != 0;
    g->cap = cap;
    if (used > cap / 2) {
        gaz_free(g);
        return HS_EMODEL;
    }
    return HS_OK;
}

uint32_t gaz_lookup(const gaz *g, const char *const *form, size_t n)
{
    if (!n || n > GAZ_MAXLEN || !g->cap)
        return 0;
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = extend(h, gaz_token_hash(form[i], strlen(form[i])));
    int found;
    uint32_t v = *slot(g, h, &found);
    return found ? v & ~GAZ_PREFIX : 0;
}

void gaz_match(const gaz *g, const uint64_t *tok_hash, size_t n, uint32_t *bits)
{
    if (!g->cap)
        return;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = 0;
        for (size_t l = 1; l <= GAZ_MAXLEN && i + l <= n; l++) {
            h = extend(h, tok_hash[i + l - 1]);
            int found;
            uint32_t v = *slot(g, h, &found);
            if (!found)
                break;
            for (unsigned c = 0; c < GAZ_NCAT; c++)
                if (v & (1u << c)) {
                    bits[i] |= 1u << (2 * c);
                    for (size_t j = i + 1; j < i + l; j++)
                        bits[j] |= 1u << (2 * c + 1);
                }
            if (!(v & GAZ_PREFIX))
                break;
        }
    }
}
