//! How to install SEND Log, for the browser in hand first: the browser's own install button
//! where it offers one, Share → Add to Home Screen on an iPad, and the other devices' steps a tap
//! away. Shown on the first run and in Settings.

use super::installed::{Browser, Installation};
use leptos::prelude::*;

/// The steps for this device, then (in Settings) every other device's.
#[component]
pub fn InstallSteps(
    /// Offer the other devices' steps too.
    #[prop(optional)]
    others: bool,
) -> impl IntoView {
    let installation = Installation::get();
    if installation.installed {
        return view! {
            <p class="installed-note">"SEND Log is installed on this device and opens from the home screen, with or without a network."</p>
        }
        .into_any();
    }
    let here = installation.browser;
    let rest = Browser::ALL.into_iter().filter(move |&b| b != here);
    view! {
        <p>"Installed, SEND Log opens from the home screen like any other app, without the browser's address bar, and works with the network off once it has been opened once."</p>
        <Show when=move || installation.can_install.get()>
            <button type="button" class="primary big" on:click=move |_| installation.install()>
                "Install SEND Log"
            </button>
        </Show>
        <div class="install-here">{steps(here, true)}</div>
        {others.then(|| view! {
            <details class="install-others">
                <summary>"Installing on another kind of device"</summary>
                {rest.map(|b| steps(b, false)).collect_view()}
            </details>
        })}
    }
    .into_any()
}

impl Browser {
    const ALL: [Browser; 4] = [
        Browser::Apple,
        Browser::Android,
        Browser::Computer,
        Browser::Firefox,
    ];
}

/// One device's steps; `here` when it is the device in hand.
fn steps(browser: Browser, here: bool) -> AnyView {
    let heading = match (browser, here) {
        (Browser::Apple, true) => "Install it on this iPad (Safari)",
        (Browser::Apple, false) => "iPad or iPhone (Safari)",
        (Browser::Android, true) => "Install it on this Android device (Chrome)",
        (Browser::Android, false) => "Android tablet or phone (Chrome)",
        (Browser::Computer, true) => "Install it on this computer (Chrome or Edge)",
        (Browser::Computer, false) => "Computer (Chrome or Edge)",
        (Browser::Firefox, true) => "Installing in this browser (Firefox)",
        (Browser::Firefox, false) => "Firefox",
    };
    let body = match browser {
        Browser::Apple => view! {
            <ol>
                <li>"Tap the Share button (the square with an arrow pointing up) in Safari's bar."</li>
                <li>"Tap " <strong>"Add to Home Screen"</strong> ", then " <strong>"Add"</strong> "."</li>
                <li>"Open SEND Log from its icon on the Home Screen from now on."</li>
            </ol>
        }
        .into_any(),
        Browser::Android => view! {
            <ol>
                <li>"Tap " <strong>"Install SEND Log"</strong> " above if it is shown; otherwise open Chrome's ⋮ menu."</li>
                <li>"Tap " <strong>"Install app"</strong> " (or " <strong>"Add to Home screen"</strong> ")."</li>
            </ol>
        }
        .into_any(),
        Browser::Computer => view! {
            <p>"Use " <strong>"Install SEND Log"</strong> " above if it is shown, the install button at the right of the address bar, or the browser menu's " <strong>"Install SEND Log"</strong> "."</p>
        }
        .into_any(),
        Browser::Firefox => view! {
            <p>"Firefox on a computer does not install web apps: SEND Log still works in a tab, offline too, once it has been opened. On Android, open the ⋮ menu and tap " <strong>"Install"</strong> " (or " <strong>"Add to Home screen"</strong> ")."</p>
        }
        .into_any(),
    };
    let level = if here {
        view! { <h3>{heading}</h3> }.into_any()
    } else {
        view! { <h4>{heading}</h4> }.into_any()
    };
    view! { <div class="install-steps">{level}{body}</div> }.into_any()
}
