// The main paths of SEND Log (paths.mjs) in Firefox ESR, headless, through puppeteer-core (WebDriver BiDi).
import { suite } from './paths.mjs';

suite('firefox');
