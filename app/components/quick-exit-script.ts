/**
 * The quick exit's behaviour, as one small inline script (nonce'd, under the CSP) that every
 * public page carries — zero-JavaScript pages included, where it is the only script.
 *
 * A click on the `[data-quick-exit]` link marks the document as leaving (`data-leaving="quick"`,
 * so LeaveGuard does not hold it), hides the page, clears this tab's sessionStorage and
 * leaves with `location.replace`, so Back does not return here. Esc pressed twice within a second
 * does the same, but never from a field (Esc also closes Chinese input-method candidates).
 * Without JavaScript the link is a plain link (the safety page says to clear the history after).
 */
export const QUICK_EXIT_SCRIPT = `(function(){
function leave(href){document.documentElement.dataset.leaving="quick";try{document.body.hidden=true;sessionStorage.clear();}catch(e){}location.replace(href);}
function link(){return document.querySelector("[data-quick-exit]");}
document.addEventListener("click",function(e){var t=e.target;var a=t&&t.closest?t.closest("[data-quick-exit]"):null;if(!a)return;e.preventDefault();leave(a.href);});
var last=0;
document.addEventListener("keydown",function(e){if(e.key!=="Escape"||e.isComposing||e.keyCode===229)return;var el=e.target;if(el&&(el.isContentEditable||/^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)))return;var now=Date.now();var a=link();if(a&&now-last<1000)leave(a.href);last=now;});
})();`;
