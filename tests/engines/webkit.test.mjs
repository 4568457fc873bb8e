// The main paths of SEND Log (paths.mjs) in WebKit, the iPad's engine: WebKitGTK's MiniBrowser through WebKitWebDriver, under Xvfb.
import { suite } from './paths.mjs';

suite('webkit');
