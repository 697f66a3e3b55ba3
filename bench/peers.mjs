// peers.mjs - the node side of make bench-peers: one process runs a JavaScript
// NLP library over every file named and writes one JSON line per file to
// stdout, so that the library's start-up and real output are both timed.
// Usage: node bench/peers.mjs compromise|wink MODULES_DIR FILE...
// MODULES_DIR is the npm prefix bench/peers.sh installed them into (its
// node_modules/). It measures nothing itself: peers.sh times the whole process.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [tool, dir, ...files] = process.argv.slice(2);
if (!['compromise', 'wink'].includes(tool) || !dir) {
    process.stderr.write('usage: node bench/peers.mjs compromise|wink MODULES_DIR FILE...\n');
    process.exit(2);
}
// the libraries live under build/, not beside this file, so resolve from there
const require = createRequire(join(resolve(dir), 'package.json'));

// compromise: its named-entity and quotation matchers and its sentences
function compromiseRunner() {
    const nlp = require('compromise');
    return (text) => {
        const doc = nlp(text);
        return {
            people: doc.people().out('array'),
            places: doc.places().out('array'),
            organizations: doc.organizations().out('array'),
            quotations: doc.quotations().out('array'),
            sentences: doc.sentences().out('array'),
        };
    };
}

// wink-nlp: only the stages whose results are written (sentence breaks, POS,
// entities); the default pipe would add negation and sentiment
function winkRunner() {
    const winkNLP = require('wink-nlp');
    const nlp = winkNLP(require('wink-eng-lite-web-model'), ['sbd', 'pos', 'ner']);
    const its = nlp.its;
    return (text) => {
        const doc = nlp.readDoc(text);
        return {
            tokens: doc.tokens().out(),
            pos: doc.tokens().out(its.pos),
            entities: doc.entities().out(its.detail),
            sentences: doc.sentences().out(),
        };
    };
}

const run = tool === 'compromise' ? compromiseRunner() : winkRunner();
for (const file of files) {
    process.stdout.write(JSON.stringify({ file, ...run(readFileSync(file, 'utf8')) }) + '\n');
}
