/** The one small stylesheet: readable, responsive, no framework. */
export const STYLESHEET = `
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.45;color:#1d1d1f;background:#fafaf7}
body{margin:0}
a{color:#8a4b00}
a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f0b429;outline-offset:1px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
header{background:#2b2118;color:#fff}
header nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;max-width:72rem;margin:0 auto;padding:.6rem 1rem}
header a{color:#ffd98a;text-decoration:none}header a.brand{font-weight:700;color:#fff;margin-right:auto}
header form{margin:0}header button{background:none;border:1px solid #ffd98a;color:#ffd98a;padding:.2rem .6rem}
main{max-width:72rem;margin:0 auto;padding:1rem}
footer{max-width:72rem;margin:2rem auto;padding:1rem;border-top:1px solid #ddd;font-size:.9rem}
footer form{display:inline}footer button{background:none;border:none;color:#8a4b00;text-decoration:underline;cursor:pointer;padding:0 .3rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin-top:1.5rem}
.flash{padding:.6rem 1rem;border-radius:4px;background:#e6f4ea;border:1px solid #9ccaa6}
.flash.error,.errors{background:#fdecea;border:1px solid #e0a39b;padding:.6rem 1rem;border-radius:4px}
.error{color:#a4260e}
label{display:block;font-weight:600;margin:.7rem 0 .2rem}
.hint{font-weight:400;color:#666;font-size:.85rem}
input,select,textarea{font:inherit;padding:.4rem;border:1px solid #aaa;border-radius:3px;width:100%;max-width:32rem;background:#fff}
input[type=checkbox],input[type=radio]{width:auto}
textarea{min-height:5rem}
.field-error input,.field-error select,.field-error textarea{border-color:#a4260e}
button,.button{font:inherit;background:#8a4b00;color:#fff;border:0;border-radius:3px;padding:.45rem 1rem;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#eee;color:#222;border:1px solid #aaa}
button.danger{background:#a4260e}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0;align-items:center}.actions form{margin:0}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}.filters label{margin:0}.filters input,.filters select{width:auto}.filters input[type=number]{max-width:7rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #e5e5e5;vertical-align:top;overflow-wrap:break-word}
dd{overflow-wrap:anywhere}
th{background:#f1efe8}
.tag{display:inline-block;background:#f3e8d5;border-radius:3px;padding:0 .35rem;margin:0 .2rem .1rem 0;font-size:.85rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}dd{margin:0}
.pager{display:flex;gap:1rem;align-items:center;margin:1rem 0}
.muted{color:#666}.pre{white-space:pre-wrap}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:0 2rem}
@media (max-width:40rem){
 .grid2{grid-template-columns:1fr}
 table.responsive thead{display:none}
 table.responsive tr{display:block;border-bottom:1px solid #ddd;padding:.4rem 0}
 table.responsive td{display:block;border:0;padding:.1rem .5rem;overflow-wrap:anywhere}
 dl{grid-template-columns:1fr}
}
`;
