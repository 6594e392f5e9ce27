/* gongkai: Material's storage helpers (its partials/javascripts/base.html), once in a cached
   file instead of inline in every page. The scope is the site's root: two folders above this
   file, the same address Material's inline copy computed from the page's base URL. */
__md_scope=new URL("../..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
