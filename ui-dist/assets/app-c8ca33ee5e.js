var ie="0.1.0",ne=["operator.admin","operator.read","operator.write","operator.approvals","operator.pairing"];var kt=`${location.protocol==="https:"?"wss":"ws"}://${location.host}/`,I=`openclaw.control.token.v1:${kt}`;function At(){let i=new URL(location.href),t=new URLSearchParams(i.hash.slice(1)),e=t.get("token")??i.searchParams.get("token");if(!e)return;sessionStorage.setItem(I,e.slice(0,4096)),t.delete("token"),i.searchParams.delete("token");let s=t.toString();history.replaceState(null,"",i.pathname+i.search+(s?`#${s}`:""))}var J=class extends EventTarget{#t;#e=new Map;#s=0;#n=800;#o;state="idle";error="";hello;start(){clearTimeout(this.#o);let t=sessionStorage.getItem(I);if(!t)return this.#i("signed-out","");this.#i(this.state==="reconnecting"?"reconnecting":"connecting",this.error);let e=new WebSocket(kt);this.#t=e,e.onmessage=s=>this.#r(e,t,s.data),e.onclose=s=>{if(this.#t!==e)return;for(let r of this.#e.values())r.reject(new Error("Connection closed"));if(this.#e.clear(),this.state==="auth-failed"||this.state==="signed-out")return;let n=s.code===1008?`rejected (${s.reason||"policy"})`:"gateway gone";this.#i("reconnecting",`Disconnected: ${n}; retrying in ${this.#n} ms`),this.#o=setTimeout(()=>this.start(),this.#n),this.#n=Math.min(this.#n*2,15e3)}}signIn(t){sessionStorage.setItem(I,t.slice(0,4096)),this.start()}signOut(){sessionStorage.removeItem(I),this.#i("signed-out",""),this.#t?.close()}on(t,e){let s=n=>{n.detail.event===t&&e(n.detail.payload??{},n.detail)};return this.addEventListener("gw-event",s),()=>this.removeEventListener("gw-event",s)}#i(t,e){this.state=t,this.error=e,this.dispatchEvent(new Event("state"))}#r(t,e,s){let n;try{n=JSON.parse(String(s))}catch{return}if(n.type==="event"&&n.event==="connect.challenge")this.request("connect",{minProtocol:3,maxProtocol:4,client:{id:"openclaw-control-ui",version:ie,platform:navigator.platform||"web",mode:"webchat"},role:"operator",scopes:ne,caps:["tool-events"],auth:{token:e}},t).then(r=>{this.hello=r,this.#n=800,this.#i("connected","")},r=>{let a=r.code??"",c=a==="RATE_LIMITED"||/rate/i.test(r.message)?`Too many attempts: ${r.message}`:`Sign-in failed: ${r.message}`;a!=="RATE_LIMITED"&&sessionStorage.removeItem(I),this.#i("auth-failed",c),t.close()});else if(n.type==="res"){let r=this.#e.get(n.id);if(!r)return;this.#e.delete(n.id),n.ok?r.resolve(n.payload):r.reject(Object.assign(new Error(n.error?.message??"Request failed"),n.error))}else n.type==="event"&&this.dispatchEvent(new CustomEvent("gw-event",{detail:n}))}request(t,e={},s=this.#t){return new Promise((n,r)=>{if(!s||s.readyState!==WebSocket.OPEN)return r(new Error("Not connected"));let a=`ui-${++this.#s}`,c=setTimeout(()=>{this.#e.delete(a),r(new Error(`${t} timed out`))},3e4);this.#e.set(a,{resolve:d=>(clearTimeout(c),n(d)),reject:d=>(clearTimeout(c),r(d))}),s.send(JSON.stringify({type:"req",id:a,method:t,params:e}))})}},l=new J;var H=globalThis,K=H.ShadowRoot&&(H.ShadyCSS===void 0||H.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,Ct=Symbol(),St=new WeakMap,j=class{constructor(t,e,s){if(this._$cssResult$=!0,s!==Ct)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=t,this.t=e}get styleSheet(){let t=this.o,e=this.t;if(K&&t===void 0){let s=e!==void 0&&e.length===1;s&&(t=St.get(e)),t===void 0&&((this.o=t=new CSSStyleSheet).replaceSync(this.cssText),s&&St.set(e,t))}return t}toString(){return this.cssText}},xt=i=>new j(typeof i=="string"?i:i+"",void 0,Ct);var Tt=(i,t)=>{if(K)i.adoptedStyleSheets=t.map(e=>e instanceof CSSStyleSheet?e:e.styleSheet);else for(let e of t){let s=document.createElement("style"),n=H.litNonce;n!==void 0&&s.setAttribute("nonce",n),s.textContent=e.cssText,i.appendChild(s)}},Q=K?i=>i:i=>i instanceof CSSStyleSheet?(t=>{let e="";for(let s of t.cssRules)e+=s.cssText;return xt(e)})(i):i;var{is:oe,defineProperty:re,getOwnPropertyDescriptor:ae,getOwnPropertyNames:le,getOwnPropertySymbols:ce,getPrototypeOf:de}=Object,W=globalThis,qt=W.trustedTypes,he=qt?qt.emptyScript:"",ue=W.reactiveElementPolyfillSupport,O=(i,t)=>i,X={toAttribute(i,t){switch(t){case Boolean:i=i?he:null;break;case Object:case Array:i=i==null?i:JSON.stringify(i)}return i},fromAttribute(i,t){let e=i;switch(t){case Boolean:e=i!==null;break;case Number:e=i===null?null:Number(i);break;case Object:case Array:try{e=JSON.parse(i)}catch{e=null}}return e}},It=(i,t)=>!oe(i,t),Rt={attribute:!0,type:String,converter:X,reflect:!1,useDefault:!1,hasChanged:It};Symbol.metadata??=Symbol("metadata"),W.litPropertyMetadata??=new WeakMap;var v=class extends HTMLElement{static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(t,e=Rt){if(e.state&&(e.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(t)&&((e=Object.create(e)).wrapped=!0),this.elementProperties.set(t,e),!e.noAccessor){let s=Symbol(),n=this.getPropertyDescriptor(t,s,e);n!==void 0&&re(this.prototype,t,n)}}static getPropertyDescriptor(t,e,s){let{get:n,set:r}=ae(this.prototype,t)??{get(){return this[e]},set(a){this[e]=a}};return{get:n,set(a){let c=n?.call(this);r?.call(this,a),this.requestUpdate(t,c,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(t){return this.elementProperties.get(t)??Rt}static _$Ei(){if(this.hasOwnProperty(O("elementProperties")))return;let t=de(this);t.finalize(),t.l!==void 0&&(this.l=[...t.l]),this.elementProperties=new Map(t.elementProperties)}static finalize(){if(this.hasOwnProperty(O("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(O("properties"))){let e=this.properties,s=[...le(e),...ce(e)];for(let n of s)this.createProperty(n,e[n])}let t=this[Symbol.metadata];if(t!==null){let e=litPropertyMetadata.get(t);if(e!==void 0)for(let[s,n]of e)this.elementProperties.set(s,n)}this._$Eh=new Map;for(let[e,s]of this.elementProperties){let n=this._$Eu(e,s);n!==void 0&&this._$Eh.set(n,e)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(t){let e=[];if(Array.isArray(t)){let s=new Set(t.flat(1/0).reverse());for(let n of s)e.unshift(Q(n))}else t!==void 0&&e.push(Q(t));return e}static _$Eu(t,e){let s=e.attribute;return s===!1?void 0:typeof s=="string"?s:typeof t=="string"?t.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(t=>this.enableUpdating=t),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(t=>t(this))}addController(t){(this._$EO??=new Set).add(t),this.renderRoot!==void 0&&this.isConnected&&t.hostConnected?.()}removeController(t){this._$EO?.delete(t)}_$E_(){let t=new Map,e=this.constructor.elementProperties;for(let s of e.keys())this.hasOwnProperty(s)&&(t.set(s,this[s]),delete this[s]);t.size>0&&(this._$Ep=t)}createRenderRoot(){let t=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return Tt(t,this.constructor.elementStyles),t}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(t=>t.hostConnected?.())}enableUpdating(t){}disconnectedCallback(){this._$EO?.forEach(t=>t.hostDisconnected?.())}attributeChangedCallback(t,e,s){this._$AK(t,s)}_$ET(t,e){let s=this.constructor.elementProperties.get(t),n=this.constructor._$Eu(t,s);if(n!==void 0&&s.reflect===!0){let r=(s.converter?.toAttribute!==void 0?s.converter:X).toAttribute(e,s.type);this._$Em=t,r==null?this.removeAttribute(n):this.setAttribute(n,r),this._$Em=null}}_$AK(t,e){let s=this.constructor,n=s._$Eh.get(t);if(n!==void 0&&this._$Em!==n){let r=s.getPropertyOptions(n),a=typeof r.converter=="function"?{fromAttribute:r.converter}:r.converter?.fromAttribute!==void 0?r.converter:X;this._$Em=n;let c=a.fromAttribute(e,r.type);this[n]=c??this._$Ej?.get(n)??c,this._$Em=null}}requestUpdate(t,e,s,n=!1,r){if(t!==void 0){let a=this.constructor;if(n===!1&&(r=this[t]),s??=a.getPropertyOptions(t),!((s.hasChanged??It)(r,e)||s.useDefault&&s.reflect&&r===this._$Ej?.get(t)&&!this.hasAttribute(a._$Eu(t,s))))return;this.C(t,e,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(t,e,{useDefault:s,reflect:n,wrapped:r},a){s&&!(this._$Ej??=new Map).has(t)&&(this._$Ej.set(t,a??e??this[t]),r!==!0||a!==void 0)||(this._$AL.has(t)||(this.hasUpdated||s||(e=void 0),this._$AL.set(t,e)),n===!0&&this._$Em!==t&&(this._$Eq??=new Set).add(t))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(e){Promise.reject(e)}let t=this.scheduleUpdate();return t!=null&&await t,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[n,r]of this._$Ep)this[n]=r;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[n,r]of s){let{wrapped:a}=r,c=this[n];a!==!0||this._$AL.has(n)||c===void 0||this.C(n,void 0,r,c)}}let t=!1,e=this._$AL;try{t=this.shouldUpdate(e),t?(this.willUpdate(e),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(e)):this._$EM()}catch(s){throw t=!1,this._$EM(),s}t&&this._$AE(e)}willUpdate(t){}_$AE(t){this._$EO?.forEach(e=>e.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(t)),this.updated(t)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(t){return!0}update(t){this._$Eq&&=this._$Eq.forEach(e=>this._$ET(e,this[e])),this._$EM()}updated(t){}firstUpdated(t){}};v.elementStyles=[],v.shadowRootOptions={mode:"open"},v[O("elementProperties")]=new Map,v[O("finalized")]=new Map,ue?.({ReactiveElement:v}),(W.reactiveElementVersions??=[]).push("2.1.2");var nt=globalThis,Ot=i=>i,B=nt.trustedTypes,Mt=B?B.createPolicy("lit-html",{createHTML:i=>i}):void 0,Ht="$lit$",y=`lit$${Math.random().toFixed(9).slice(2)}$`,jt="?"+y,pe=`<${jt}>`,A=document,P=()=>A.createComment(""),L=i=>i===null||typeof i!="object"&&typeof i!="function",ot=Array.isArray,me=i=>ot(i)||typeof i?.[Symbol.iterator]=="function",Y=`[ 	
\f\r]`,M=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,Pt=/-->/g,Lt=/>/g,E=RegExp(`>|${Y}(?:([^\\s"'>=/]+)(${Y}*=${Y}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),Nt=/'/g,Ut=/"/g,Kt=/^(?:script|style|textarea|title)$/i,rt=i=>(t,...e)=>({_$litType$:i,strings:t,values:e}),o=rt(1),Be=rt(2),Ve=rt(3),S=Symbol.for("lit-noChange"),m=Symbol.for("lit-nothing"),Dt=new WeakMap,k=A.createTreeWalker(A,129);function Wt(i,t){if(!ot(i)||!i.hasOwnProperty("raw"))throw Error("invalid template strings array");return Mt!==void 0?Mt.createHTML(t):t}var fe=(i,t)=>{let e=i.length-1,s=[],n,r=t===2?"<svg>":t===3?"<math>":"",a=M;for(let c=0;c<e;c++){let d=i[c],p,f,h=-1,_=0;for(;_<d.length&&(a.lastIndex=_,f=a.exec(d),f!==null);)_=a.lastIndex,a===M?f[1]==="!--"?a=Pt:f[1]!==void 0?a=Lt:f[2]!==void 0?(Kt.test(f[2])&&(n=RegExp("</"+f[2],"g")),a=E):f[3]!==void 0&&(a=E):a===E?f[0]===">"?(a=n??M,h=-1):f[1]===void 0?h=-2:(h=a.lastIndex-f[2].length,p=f[1],a=f[3]===void 0?E:f[3]==='"'?Ut:Nt):a===Ut||a===Nt?a=E:a===Pt||a===Lt?a=M:(a=E,n=void 0);let b=a===E&&i[c+1].startsWith("/>")?" ":"";r+=a===M?d+pe:h>=0?(s.push(p),d.slice(0,h)+Ht+d.slice(h)+y+b):d+y+(h===-2?c:b)}return[Wt(i,r+(i[e]||"<?>")+(t===2?"</svg>":t===3?"</math>":"")),s]},N=class i{constructor({strings:t,_$litType$:e},s){let n;this.parts=[];let r=0,a=0,c=t.length-1,d=this.parts,[p,f]=fe(t,e);if(this.el=i.createElement(p,s),k.currentNode=this.el.content,e===2||e===3){let h=this.el.content.firstChild;h.replaceWith(...h.childNodes)}for(;(n=k.nextNode())!==null&&d.length<c;){if(n.nodeType===1){if(n.hasAttributes())for(let h of n.getAttributeNames())if(h.endsWith(Ht)){let _=f[a++],b=n.getAttribute(h).split(y),D=/([.?@])?(.*)/.exec(_);d.push({type:1,index:r,name:D[2],strings:b,ctor:D[1]==="."?tt:D[1]==="?"?et:D[1]==="@"?st:x}),n.removeAttribute(h)}else h.startsWith(y)&&(d.push({type:6,index:r}),n.removeAttribute(h));if(Kt.test(n.tagName)){let h=n.textContent.split(y),_=h.length-1;if(_>0){n.textContent=B?B.emptyScript:"";for(let b=0;b<_;b++)n.append(h[b],P()),k.nextNode(),d.push({type:2,index:++r});n.append(h[_],P())}}}else if(n.nodeType===8)if(n.data===jt)d.push({type:2,index:r});else{let h=-1;for(;(h=n.data.indexOf(y,h+1))!==-1;)d.push({type:7,index:r}),h+=y.length-1}r++}}static createElement(t,e){let s=A.createElement("template");return s.innerHTML=t,s}};function C(i,t,e=i,s){if(t===S)return t;let n=s!==void 0?e._$Co?.[s]:e._$Cl,r=L(t)?void 0:t._$litDirective$;return n?.constructor!==r&&(n?._$AO?.(!1),r===void 0?n=void 0:(n=new r(i),n._$AT(i,e,s)),s!==void 0?(e._$Co??=[])[s]=n:e._$Cl=n),n!==void 0&&(t=C(i,n._$AS(i,t.values),n,s)),t}var Z=class{constructor(t,e){this._$AV=[],this._$AN=void 0,this._$AD=t,this._$AM=e}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(t){let{el:{content:e},parts:s}=this._$AD,n=(t?.creationScope??A).importNode(e,!0);k.currentNode=n;let r=k.nextNode(),a=0,c=0,d=s[0];for(;d!==void 0;){if(a===d.index){let p;d.type===2?p=new U(r,r.nextSibling,this,t):d.type===1?p=new d.ctor(r,d.name,d.strings,this,t):d.type===6&&(p=new it(r,this,t)),this._$AV.push(p),d=s[++c]}a!==d?.index&&(r=k.nextNode(),a++)}return k.currentNode=A,n}p(t){let e=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(t,s,e),e+=s.strings.length-2):s._$AI(t[e])),e++}},U=class i{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(t,e,s,n){this.type=2,this._$AH=m,this._$AN=void 0,this._$AA=t,this._$AB=e,this._$AM=s,this.options=n,this._$Cv=n?.isConnected??!0}get parentNode(){let t=this._$AA.parentNode,e=this._$AM;return e!==void 0&&t?.nodeType===11&&(t=e.parentNode),t}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(t,e=this){t=C(this,t,e),L(t)?t===m||t==null||t===""?(this._$AH!==m&&this._$AR(),this._$AH=m):t!==this._$AH&&t!==S&&this._(t):t._$litType$!==void 0?this.$(t):t.nodeType!==void 0?this.T(t):me(t)?this.k(t):this._(t)}O(t){return this._$AA.parentNode.insertBefore(t,this._$AB)}T(t){this._$AH!==t&&(this._$AR(),this._$AH=this.O(t))}_(t){this._$AH!==m&&L(this._$AH)?this._$AA.nextSibling.data=t:this.T(A.createTextNode(t)),this._$AH=t}$(t){let{values:e,_$litType$:s}=t,n=typeof s=="number"?this._$AC(t):(s.el===void 0&&(s.el=N.createElement(Wt(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===n)this._$AH.p(e);else{let r=new Z(n,this),a=r.u(this.options);r.p(e),this.T(a),this._$AH=r}}_$AC(t){let e=Dt.get(t.strings);return e===void 0&&Dt.set(t.strings,e=new N(t)),e}k(t){ot(this._$AH)||(this._$AH=[],this._$AR());let e=this._$AH,s,n=0;for(let r of t)n===e.length?e.push(s=new i(this.O(P()),this.O(P()),this,this.options)):s=e[n],s._$AI(r),n++;n<e.length&&(this._$AR(s&&s._$AB.nextSibling,n),e.length=n)}_$AR(t=this._$AA.nextSibling,e){for(this._$AP?.(!1,!0,e);t!==this._$AB;){let s=Ot(t).nextSibling;Ot(t).remove(),t=s}}setConnected(t){this._$AM===void 0&&(this._$Cv=t,this._$AP?.(t))}},x=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(t,e,s,n,r){this.type=1,this._$AH=m,this._$AN=void 0,this.element=t,this.name=e,this._$AM=n,this.options=r,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=m}_$AI(t,e=this,s,n){let r=this.strings,a=!1;if(r===void 0)t=C(this,t,e,0),a=!L(t)||t!==this._$AH&&t!==S,a&&(this._$AH=t);else{let c=t,d,p;for(t=r[0],d=0;d<r.length-1;d++)p=C(this,c[s+d],e,d),p===S&&(p=this._$AH[d]),a||=!L(p)||p!==this._$AH[d],p===m?t=m:t!==m&&(t+=(p??"")+r[d+1]),this._$AH[d]=p}a&&!n&&this.j(t)}j(t){t===m?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,t??"")}},tt=class extends x{constructor(){super(...arguments),this.type=3}j(t){this.element[this.name]=t===m?void 0:t}},et=class extends x{constructor(){super(...arguments),this.type=4}j(t){this.element.toggleAttribute(this.name,!!t&&t!==m)}},st=class extends x{constructor(t,e,s,n,r){super(t,e,s,n,r),this.type=5}_$AI(t,e=this){if((t=C(this,t,e,0)??m)===S)return;let s=this._$AH,n=t===m&&s!==m||t.capture!==s.capture||t.once!==s.once||t.passive!==s.passive,r=t!==m&&(s===m||n);n&&this.element.removeEventListener(this.name,this,s),r&&this.element.addEventListener(this.name,this,t),this._$AH=t}handleEvent(t){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,t):this._$AH.handleEvent(t)}},it=class{constructor(t,e,s){this.element=t,this.type=6,this._$AN=void 0,this._$AM=e,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(t){C(this,t)}};var $e=nt.litHtmlPolyfillSupport;$e?.(N,U),(nt.litHtmlVersions??=[]).push("3.3.3");var Bt=(i,t,e)=>{let s=e?.renderBefore??t,n=s._$litPart$;if(n===void 0){let r=e?.renderBefore??null;s._$litPart$=n=new U(t.insertBefore(P(),r),r,void 0,e??{})}return n._$AI(i),n};var at=globalThis,g=class extends v{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let t=super.createRenderRoot();return this.renderOptions.renderBefore??=t.firstChild,t}update(t){let e=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(t),this._$Do=Bt(e,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return S}};g._$litElement$=!0,g.finalized=!0,at.litElementHydrateSupport?.({LitElement:g});var ge=at.litElementPolyfillSupport;ge?.({LitElement:g});(at.litElementVersions??=[]).push("4.2.2");var lt=document.documentElement.dataset.basePath||"/";function ct(){let i=location.pathname.startsWith(lt)?location.pathname.slice(lt.length):"";return decodeURIComponent(i.split("/")[0]??"")}function T(i){return`${lt}${i}`}function _e(i){ct()!==i&&history.pushState(null,"",T(i)),dispatchEvent(new Event("route"))}function Vt(){location.hash.startsWith("#/")&&history.replaceState(null,"",T(location.hash.slice(2))),addEventListener("popstate",()=>dispatchEvent(new Event("route"))),document.addEventListener("click",i=>{let t=i.target instanceof Element?i.target.closest("a[data-route]"):null;!t||i.defaultPrevented||i.button!==0||i.metaKey||i.ctrlKey||i.shiftKey||(i.preventDefault(),_e(t.dataset.route))})}var u=class extends g{#t=t=>this.onGatewayEvent?.(t.detail);#e=()=>{l.state==="connected"&&this.onConnected?.()};createRenderRoot(){return this}connectedCallback(){super.connectedCallback(),l.addEventListener("gw-event",this.#t),l.addEventListener("state",this.#e)}disconnectedCallback(){super.disconnectedCallback(),l.removeEventListener("gw-event",this.#t),l.removeEventListener("state",this.#e)}};function q(i){let t=i?.content;return typeof t=="string"?t:Array.isArray(t)?t.filter(e=>e.type==="text").map(e=>e.text).join(""):""}function $(i,t=Date.now()){if(!i)return"never";let e=Math.max(0,Math.round((t-i)/1e3));return e<60?`${e} s ago`:e<3600?`${Math.round(e/60)} min ago`:e<86400?`${Math.round(e/3600)} h ago`:`${Math.round(e/86400)} d ago`}function V(i){return typeof i!="number"?"\u2013":i<1e3?String(i):i<1e6?`${(i/1e3).toFixed(1)}k`:`${(i/1e6).toFixed(1)}M`}var ve=[["allow-once","Allow once"],["allow-always","Always allow"],["deny","Deny"]];function be(i){let t=[];for(let e of i??[]){if(e.role==="toolResult"){let n=t.findLast(r=>r.kind==="tool"&&r.id===e.toolCallId);n&&Object.assign(n,{done:!0,isError:e.isError,output:q(e)});continue}let s=q(e);if(s&&t.push({kind:"msg",role:e.role,text:s,done:"final"}),Array.isArray(e.content))for(let n of e.content)n.type==="toolCall"&&t.push({kind:"tool",id:n.id,name:n.name,args:n.arguments,done:!0})}return t}var dt=class extends u{static properties={_session:{state:!0},_sessions:{state:!0},_rows:{state:!0},_approvals:{state:!0},_running:{state:!0},_error:{state:!0}};#t;#e;constructor(){super(),this._session=new URLSearchParams(location.search).get("session")?.slice(0,512)||"main",this._sessions=[],this._rows=[],this._approvals=[],this._running=!1,this._error=""}connectedCallback(){super.connectedCallback(),this.load()}onConnected(){this.load()}async load(){try{let t=await l.request("sessions.list",{limit:200});this._sessions=(t.sessions??[]).map(e=>e.key)}catch{}try{let t=this._session,e=await l.request("chat.history",{sessionKey:t,limit:100});if(this.#e||t!==this._session)return;this._rows=be(e.messages),this._error=""}catch(t){this._error=`History failed: ${t.message}`}}async send(){let t=this.querySelector("textarea"),e=t.value.trim();if(e){t.value="",this.#e={kind:"msg",role:"assistant",text:"",done:void 0},this._rows=[...this._rows,{kind:"msg",role:"user",text:e,done:"final"},this.#e],this.#t=void 0,this._running=!0;try{let s=await l.request("chat.send",{sessionKey:this._session,message:e,idempotencyKey:crypto.randomUUID()});this.#t=s?.runId}catch(s){this.#s("error",`Error: ${s.message}`)}}}abort(){l.request("chat.abort",{sessionKey:this._session,...this.#t?{runId:this.#t}:{}}).catch(()=>{})}#s(t,e){this.#e&&(e!==void 0&&(this.#e.text=e),this.#e.done=t,this.#e=void 0,this._running=!1,this._rows=[...this._rows])}#n(t){return this.#e&&(!this.#t||!t.runId||t.runId===this.#t)}onGatewayEvent(t){let e=t.payload??{};t.event==="chat"&&this.#n(e)?((e.state==="delta"||e.state==="final")&&(this.#e.text=q(e.message)||this.#e.text,this._rows=[...this._rows]),e.state==="final"&&this.#s("final"),e.state==="aborted"&&this.#s("aborted",`${this.#e.text} [aborted]`),e.state==="error"&&this.#s("error",`${this.#e.text} [error: ${e.errorMessage??"failed"}]`)):t.event==="agent"&&e.stream==="tool"&&this.#n(e)?this.#o(e.data??{}):t.event==="exec.approval.requested"?this._approvals.some(s=>s.id===e.id)||(this._approvals=[...this._approvals,e]):t.event==="exec.approval.resolved"&&(this._approvals=this._approvals.filter(s=>s.id!==e.id))}#o(t){let e=this._rows.find(s=>s.kind==="tool"&&s.id===t.toolCallId);if(!e){e={kind:"tool",id:t.toolCallId,name:t.name,args:t.args,done:!1};let s=this._rows.indexOf(this.#e);this._rows=s<0?[...this._rows,e]:[...this._rows.slice(0,s),e,...this._rows.slice(s)]}t.phase==="update"&&(e.output=q({content:t.partialResult?.content})),t.phase==="result"&&Object.assign(e,{done:!0,isError:t.isError,output:q({content:t.result?.content})}),this._rows=[...this._rows]}#i(t,e){this._approvals=this._approvals.filter(s=>s.id!==t.id),l.request("exec.approval.resolve",{id:t.id,decision:e}).catch(s=>{this._error=`Approval failed: ${s.message}`})}updated(){let t=this.querySelector(".msgs");t&&(t.scrollTop=t.scrollHeight)}#r(t){return t.kind==="tool"?o`<details class="tool" data-tool=${t.name} data-state=${t.done?t.isError?"error":"done":"running"}>
        <summary>${t.done?t.isError?"\u2717":"\u2713":"\u2026"} ${t.name}</summary>
        <pre>${JSON.stringify(t.args??{},null,2)}</pre>
        ${t.output?o`<pre>${t.output}</pre>`:null}
      </details>`:o`<div class="msg ${t.role}" data-role=${t.role} data-done=${t.done??m}>${t.text}</div>`}render(){let t=this._sessions.includes(this._session)?this._sessions:[this._session,...this._sessions];return o`
      <label>Session
        <select aria-label="Session" @change=${e=>{this._session=e.target.value,this.load()}}>
          ${t.map(e=>o`<option .value=${e} ?selected=${e===this._session}>${e}</option>`)}
        </select>
      </label>
      ${this._error?o`<p class="error" role="alert">${this._error}</p>`:null}
      <div class="msgs" aria-live="polite" data-testid="messages">${this._rows.map(e=>this.#r(e))}</div>
      ${this._approvals.map(e=>o`<div class="approval" role="alertdialog" aria-label="Exec approval">
          <p>The agent wants to run: <code>${e.request?.command??e.command??""}</code></p>
          ${ve.map(([s,n])=>o`<button type="button" @click=${()=>this.#i(e,s)}>${n}</button>`)}
        </div>`)}
      <form class="row" @submit=${e=>(e.preventDefault(),this.send())}>
        <textarea aria-label="Message" maxlength="100000"
          placeholder="Message (Enter sends, Shift+Enter new line; /new, /status)"
          @keydown=${e=>{e.key==="Enter"&&!e.shiftKey&&(e.preventDefault(),this.send())}}></textarea>
        <button type="submit">Send</button>
        <button type="button" @click=${()=>this.abort()} ?disabled=${!this._running}>Abort</button>
      </form>
    `}};customElements.define("oc-chat",dt);var Gt=["health","status","system-presence"],ht=class extends u{static properties={_data:{state:!0}};constructor(){super(),this._data={}}connectedCallback(){super.connectedCallback(),this.load()}onConnected(){this.load()}async load(){let t={};await Promise.all(Gt.map(async e=>{try{t[e]={ok:!0,value:await l.request(e,{})}}catch(s){t[e]={ok:!1,error:s.message}}})),this._data=t}render(){return Object.keys(this._data).length?Gt.map(t=>{let e=this._data[t];return o`<h2>${t}</h2>${e.ok?o`<pre>${JSON.stringify(e.value,null,2)}</pre>`:o`<p class="error">${e.error}</p>`}`}):o`<p role="status">Loading…</p>`}};customElements.define("oc-overview",ht);function zt(i){return`${T("chat")}?session=${encodeURIComponent(i)}`}function ye(i,t){return i.providerOverride&&i.modelOverride?`${i.providerOverride}/${i.modelOverride}`:t?.model?`${t.modelProvider?`${t.modelProvider}/`:""}${t.model} (default)`:"\u2013"}var ut=class extends u{static properties={_rows:{state:!0},_defaults:{state:!0},_count:{state:!0},_note:{state:!0},_error:{state:!0},_confirm:{state:!0},_busy:{state:!0}};#t;constructor(){super(),this._rows=void 0,this._defaults=void 0,this._count="",this._note="",this._error="",this._confirm="",this._busy=""}connectedCallback(){super.connectedCallback(),this.load()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#t)}onConnected(){this.load()}onGatewayEvent(t){t.event==="sessions.changed"&&(clearTimeout(this.#t),this.#t=setTimeout(()=>this.load(),250))}async load(){try{let t=await l.request("sessions.list",{limit:200});this._rows=t.sessions??[],this._defaults=t.defaults;let e=t.hasMore?` (the newest ${t.count} of ${t.totalCount} shown)`:"";this._count=`${t.totalCount??this._rows.length} sessions${e}`}catch(t){this._error=`Sessions failed to load: ${t.message}`}}async#e(t,e,s){this._busy=t,this._error="";try{let n=await l.request(e,{key:t});this._note=s(n),await this.load()}catch(n){this._error=`${e} failed for ${t}: ${n.message}`}finally{this._busy=""}}#s(t){this.#e(t,"sessions.reset",()=>`Reset ${t}: it starts fresh`)}#n(t){this.#e(t,"sessions.compact",e=>e.compacted?`Compacted ${t}`:`${t} not compacted: ${e.reason??"nothing to do"}`)}#o(t){this._confirm=t,this.updateComplete.then(()=>this.querySelector("[data-confirm-delete]")?.focus())}#i(t){this._confirm="",this.updateComplete.then(()=>this.querySelector(`tr[data-key="${CSS.escape(t)}"] [data-delete]`)?.focus())}#r(t){this._confirm="",this.#e(t,"sessions.delete",e=>e.deleted?`Deleted ${t}`:`${t} was already gone`)}#a(t,e){t.button!==0||t.metaKey||t.ctrlKey||t.shiftKey||(t.preventDefault(),history.pushState(null,"",zt(e)),dispatchEvent(new Event("route")))}#l(t){let e=this._busy===t.key;return this._confirm===t.key?o`
        <div class="confirm" role="group" aria-label=${`Confirm delete of ${t.key}`}
          @keydown=${s=>s.key==="Escape"&&this.#i(t.key)}>
          <span>Delete ${t.key} and its transcript?</span>
          <button type="button" class="danger" data-confirm-delete @click=${()=>this.#r(t.key)}>Yes, delete</button>
          <button type="button" @click=${()=>this.#i(t.key)}>Cancel</button>
        </div>
      `:o`
      <div class="actions">
        <a href=${zt(t.key)} @click=${s=>this.#a(s,t.key)}
          aria-label=${`Open ${t.key} in chat`}>Open in chat</a>
        <button type="button" ?disabled=${e} @click=${()=>this.#s(t.key)}
          aria-label=${`Reset ${t.key}`}>Reset</button>
        <button type="button" ?disabled=${e} @click=${()=>this.#n(t.key)}
          aria-label=${`Compact ${t.key}`}>Compact</button>
        <button type="button" data-delete ?disabled=${e} @click=${()=>this.#o(t.key)}
          aria-label=${`Delete ${t.key}`}>Delete</button>
      </div>
    `}#c(t){let e=t.label||t.displayName||t.lastMessagePreview||"",s=t.lastChannel?` \xB7 ${t.lastChannel}`:"";return o`
      <tr data-key=${t.key}>
        <td data-label="Session"><code>${t.key}</code>${t.isMain?o`
            <span class="badge">main</span>
          `:null}${e?o`<div class="muted">${e}</div>`:null}</td>
        <td data-label="Kind">${t.kind??"\u2013"}${s}</td>
        <td data-label="Tokens" class="num">
          <span title="input / output / total">${V(t.inputTokens??0)} in / ${V(t.outputTokens??0)} out / ${V(t.totalTokens??0)}</span>
        </td>
        <td data-label="Model">${ye(t,this._defaults)}</td>
        <td data-label="Last activity" title=${new Date(t.updatedAt).toLocaleString()}>${$(t.updatedAt)}</td>
        <td data-label="Actions">${this.#l(t)}</td>
      </tr>
    `}render(){return o`
      <div class="page-head">
        <h1>Sessions</h1>
        <button type="button" @click=${()=>this.load()}>Refresh</button>
      </div>
      <p class="muted" data-testid="sessions-count">${this._rows===void 0?"Loading\u2026":this._count}</p>
      <p role="status" data-testid="sessions-note">${this._note}</p>
      ${this._error?o`<p class="error" role="alert">${this._error}</p>`:null}
      ${this._rows?.length===0?o`<p>No sessions yet: start one in Chat.</p>`:null}
      ${this._rows?.length?o`
          <table class="table cards" aria-label="Sessions">
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Kind</th>
                <th scope="col">Tokens</th>
                <th scope="col">Model</th>
                <th scope="col">Last activity</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>${this._rows.map(t=>this.#c(t))}</tbody>
          </table>
        `:null}
    `}};customElements.define("oc-sessions",ut);var pt=class extends g{static properties={label:{},question:{},yes:{},busy:{type:Boolean},_asking:{state:!0}};constructor(){super(),this.label="Remove",this.question="Are you sure?",this.yes="",this.busy=!1,this._asking=!1}createRenderRoot(){return this}#t(t){this._asking=t,this.updateComplete.then(()=>this.querySelector(t?"button.danger":"button")?.focus())}render(){return this._asking?o`
      <span class="confirm" role="group" aria-label=${this.question}>
        <span>${this.question}</span>
        <button type="button" class="danger" @click=${()=>{this._asking=!1,this.dispatchEvent(new CustomEvent("confirm",{bubbles:!0}))}}>${this.yes||this.label}</button>
        <button type="button" @click=${()=>this.#t(!1)}>Cancel</button>
      </span>
    `:o`<button type="button" ?disabled=${this.busy} @click=${()=>this.#t(!0)}>${this.label}</button>`}};customElements.define("oc-confirm-button",pt);var we=5e3,ft=class extends u{static properties={_requests:{state:!0},_error:{state:!0},_note:{state:!0},_busy:{state:!0}};#t;constructor(){super(),this._requests=void 0,this._error="",this._note="",this._busy=""}connectedCallback(){super.connectedCallback(),this.load()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#t)}onConnected(){this.load()}async load(){clearTimeout(this.#t);try{let t=await l.request("channels.pairing.list",{});this._requests=t.requests??[],this._error=""}catch(t){this._error=`DM requests unavailable: ${t.message}`}clearTimeout(this.#t),this.isConnected&&(this.#t=setTimeout(()=>this.load(),we))}async#e(t,e){this._busy=t.code;try{let s={channel:t.channel,code:t.code};e==="channels.pairing.approve"&&Object.assign(s,{accountId:t.accountId,notify:!0}),await l.request(e,s),this._note=e==="channels.pairing.approve"?`Approved ${mt(t)}: they can talk to the assistant now`:`Dismissed the request from ${mt(t)}`}catch(s){this._note="",this._error=s.message}finally{this._busy=""}await this.load()}render(){let t=this._requests;return o`
      <h2 id="dm-requests">DM access requests</h2>
      <p class="muted">Unknown senders get a pairing code; approve them here. Requests expire after
        1 hour, at most 3 wait per channel.</p>
      ${this._error?o`<p class="error" role="alert">${this._error}</p>`:null}
      ${this._note?o`<p role="status">${this._note}</p>`:null}
      ${t===void 0?o`<p role="status">Loading…</p>`:t.length===0?o`<p class="muted">No pending requests.</p>`:o`<ul class="cards" aria-labelledby="dm-requests">${t.map(e=>o`
              <li class="card" data-code=${e.code}>
                <div class="card-head">
                  <strong>${mt(e)}</strong>
                  <span class="badge">${e.channel}${e.accountId!=="default"?` \xB7 ${e.accountId}`:""}</span>
                </div>
                <p class="muted">${e.senderId} · code <code>${e.code}</code> · asked ${$(e.createdAt)}</p>
                <div class="actions">
                  <button type="button" ?disabled=${this._busy===e.code}
                    @click=${()=>this.#e(e,"channels.pairing.approve")}>Approve</button>
                  <button type="button" ?disabled=${this._busy===e.code}
                    @click=${()=>this.#e(e,"channels.pairing.dismiss")}>Dismiss</button>
                </div>
              </li>
            `)}</ul>`}
    `}};function mt(i){let t=i.meta?.name??"",e=i.meta?.username?`@${i.meta.username}`:"";return t&&e?`${t} (${e})`:t||e||i.senderId}customElements.define("oc-dm-requests",ft);var Ee=5e3,ke=18e4,$t=class extends u{static properties={accountId:{attribute:"account-id"},_state:{state:!0},_qr:{state:!0},_message:{state:!0}};#t=0;constructor(){super(),this.accountId="default",this._state="idle",this._qr="",this._message=""}disconnectedCallback(){super.disconnectedCallback(),this.#t++}async start(){let t=++this.#t,e=()=>t===this.#t&&this.isConnected,s={accountId:this.accountId},n=Date.now()+ke;this._state="starting",this._message="Asking WhatsApp for a QR code\u2026";try{for(;e();){let r=await l.request("web.login.start",{...s,timeoutMs:25e3});if(!e())return;if(!r.qrDataUrl){let c=/already linked/i.test(r.message);this.#e(c?"linked":"failed",r.message);return}this._qr=r.qrDataUrl,this._state="qr",this._message=r.message;let a=await l.request("web.login.wait",{...s,timeoutMs:Ee});if(!e())return;if(a.connected)return this.#e("linked",a.message);if(Date.now()>n)return this.#e("failed","The QR code expired before it was scanned; try again");await new Promise(c=>setTimeout(c,500))}}catch(r){e()&&this.#e("failed",`Linking failed: ${r.message}`)}}cancel(){this.#t++,this._state="idle",this._qr="",this._message=""}#e(t,e){this._state=t,this._message=e,this._qr="",t==="linked"&&this.dispatchEvent(new CustomEvent("linked",{bubbles:!0,detail:{message:e}}))}render(){let t=this._state;return t==="idle"?o`<button type="button" @click=${()=>this.start()}>Link WhatsApp</button>`:o`
      <div class="wa-link" data-state=${t}>
        ${t==="qr"?o`<img class="qr" src=${this._qr} alt="WhatsApp QR code" width="240" height="240">`:null}
        <p role="status" class=${t==="failed"?"error":""}>${this._message}</p>
        ${t==="qr"?o`<p class="muted">The code refreshes as WhatsApp rotates it.</p>`:null}
        ${t==="starting"||t==="qr"?o`<button type="button" @click=${()=>this.cancel()}>Cancel</button>`:t==="failed"?o`<button type="button" @click=${()=>this.start()}>Try again</button>`:null}
      </div>
    `}};customElements.define("oc-whatsapp-link",$t);var Ft={whatsapp:"WhatsApp",telegram:"Telegram"},Ae={open:"connected",not_linked:"not linked",logged_out:"logged out",waiting_qr:"waiting for scan",gave_up:"gave up reconnecting"};function Se(i){if(!i.enabled)return{text:"disabled",tone:"off"};if(i.connected)return{text:"connected",tone:"ok"};let t=i.connection??i.state;return{text:Ae[t]??String(t??"stopped").replaceAll("_"," "),tone:i.running?"warn":"off"}}function Ce(i){let t=i.bot??i.probe?.bot;return t?t.username?`@${t.username} (id ${t.id})`:t.id:""}var gt=class extends u{static properties={_status:{state:!0},_error:{state:!0},_note:{state:!0},_busy:{state:!0}};#t;#e;constructor(){super(),this._status=void 0,this._error="",this._note="",this._busy=""}connectedCallback(){super.connectedCallback(),this.load()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#t),clearTimeout(this.#e)}onConnected(){this.load()}onGatewayEvent(t){t.event!=="health"||this.#t||(this.#t=setTimeout(()=>{this.#t=void 0,this.load()},300))}async load(){clearTimeout(this.#e);try{this._status=await l.request("channels.status",{probe:!1,timeoutMs:8e3}),this._error=""}catch(t){this._error=`Channel status unavailable: ${t.message}`}clearTimeout(this.#e),this.isConnected&&(this.#e=setTimeout(()=>this.load(),1e4))}async#s(t,e){this._busy=`${t}/${e}`;try{let s=await l.request("channels.logout",{channel:t,accountId:e});this._note=s.message}catch(s){this._error=`Log out failed: ${s.message}`}finally{this._busy=""}await this.load()}#n(t,e){let s=Se(e),n=Ce(e),r=`${t}/${e.accountId}`,a=t==="whatsapp",c=[["Running",e.running?"yes":"no"],...e.mode?[["Mode",e.mode]]:[],...a?[["Linked",e.linked?"yes":"no"]]:[],...n?[[a?"Linked as":"Bot",n]]:[],["Last in",$(e.lastInboundAt)],["Last out",$(e.lastOutboundAt)],...e.reconnectAttempts?[["Reconnects",String(e.reconnectAttempts)]]:[]];return o`<li class="card" data-account=${r}>
      <div class="card-head">
        <strong>${e.accountId}</strong>
        <span class="badge" data-tone=${s.tone}>${s.text}</span>
      </div>
      <dl class="facts">${c.map(([d,p])=>o`
          <dt>${d}</dt>
          <dd>${p}</dd>
        `)}</dl>
      ${e.lastError?o`<p class="error">Last error: ${e.lastError}</p>`:null}
      ${a?o`<div class="actions">${e.linked?o`
              <oc-confirm-button label="Log out" yes="Log out"
                question=${`Unlink WhatsApp account ${e.accountId} and delete its credentials?`}
                ?busy=${this._busy===r}
                @confirm=${()=>this.#s(t,e.accountId)}></oc-confirm-button>
            `:o`<oc-whatsapp-link account-id=${e.accountId} @linked=${d=>{this._note=`WhatsApp: ${d.detail.message}`,this.load()}}></oc-whatsapp-link>`}</div>`:null}
    </li>`}#o(t,e){let s=e.connected?"ok":e.running?"warn":"off",n=e.connected?"connected":e.running?"running":"stopped";return o`<section class="channel" aria-labelledby=${`ch-${t}`}>
      <div class="card-head">
        <h2 id=${`ch-${t}`}>${Ft[t]??t}</h2>
        <span class="badge" data-tone=${s}>${n}</span>
      </div>
      ${e.lastError&&!e.accounts.some(r=>r.lastError===e.lastError)?o`<p class="error">${e.lastError}</p>`:null}
      <ul class="cards" aria-label=${`${Ft[t]??t} accounts`}>${e.accounts.map(r=>this.#n(t,r))}</ul>
    </section>`}render(){let t=this._status,e=t?t.channelOrder.filter(s=>t.channels[s]):[];return o`
      <div class="page-head">
        <h1>Channels</h1>
        <button type="button" @click=${()=>this.load()}>Refresh</button>
      </div>
      ${t?o`<p class="muted">Updated ${$(t.ts)}.</p>`:null}
      ${this._error?o`<p class="error" role="alert">${this._error}</p>`:null}
      ${this._note?o`<p role="status" data-testid="channels-note">${this._note}</p>`:null}
      ${!t&&!this._error?o`<p role="status">Loading…</p>`:null}
      ${t&&e.length===0?o`<p class="muted">No channels configured. Add <code>channels.telegram</code> or
            <code>channels.whatsapp</code> to the config, then come back here.</p>`:null}
      ${e.map(s=>this.#o(s,t.channels[s]))}
      <oc-dm-requests></oc-dm-requests>
    `}};customElements.define("oc-channels",gt);function w(i,t){return o`<span class="badge" data-tone=${t}>${i}</span>`}function R(i,t,e){return t?.length?o`<div class="chip-row"><span class="muted">${i}</span>
    <ul class="chips" aria-label=${i}>${t.map(s=>o`<li class="chip" data-kind=${e}>${s}</li>`)}</ul></div>`:null}function G(i){return o`<p class="muted">${i.filter(Boolean).join(" \xB7 ")}</p>`}function Jt(i,t,[e,s],[n,r]){let a=i._busy===t;return o`
    <div class="actions">
      <button type="button" ?disabled=${a}
        @click=${()=>i.act(e,{requestId:t},s)}>Approve</button>
      <button type="button" ?disabled=${a}
        @click=${()=>i.act(n,{requestId:t},r)}>Reject</button>
    </div>
  `}function Qt(i,t,e){return o`
    <div class="actions">
      <oc-confirm-button label="Remove" yes="Remove"
        question=${`Remove ${e}? It must pair again to connect.`}
        ?busy=${i._busy===t}
        @confirm=${()=>i.act("device.pair.remove",{deviceId:t},`Removed ${e}`)}></oc-confirm-button>
    </div>
  `}function Xt(i,t){let e=i.displayName||i.clientId;return o`<li class="card" data-request=${i.requestId}>
    <div class="card-head">
      <strong>${e}</strong>
      ${w(i.isRepair?"re-pair requested":"approval needed","warn")}
    </div>
    ${G([i.platform,`role ${(i.roles?.length?i.roles:[i.role]).join(", ")}`,`asked ${$(i.ts)}`,`device ${i.deviceId.slice(0,12)}\u2026`])}
    ${R("Requested scopes",i.scopes,"scope")}
    ${Jt(t,i.requestId,["device.pair.approve",`Approved ${e}`],["device.pair.reject",`Rejected ${e}`])}
  </li>`}function Yt(i,t){let e=i.displayName||i.nodeId;return o`<li class="card" data-request=${i.requestId}>
    <div class="card-head">
      <strong>${e}</strong>
      ${w("commands need approval","warn")}
    </div>
    ${G([i.platform,i.version,i.remoteIp,`asked ${$(i.ts)}`])}
    ${R("Requested commands",i.commands,"command")}
    ${Jt(t,i.requestId,["node.pair.approve",`Approved the commands of ${e}`],["node.pair.reject",`Rejected the commands of ${e}`])}
  </li>`}function Zt(i,t){let e=i.displayName||i.nodeId,s=Object.entries(i.permissions??{}).map(([n,r])=>`${n} ${r?"\u2713":"\u2717"}`);return o`<li class="card" data-node=${i.nodeId}>
    <div class="card-head">
      <strong>${e}</strong>
      ${i.connected?w("connected","ok"):w("offline","off")}
      ${i.approvalState==="pending-approval"?w("approval needed","warn"):null}
    </div>
    ${G([i.platform,i.deviceFamily,i.version,i.remoteIp,i.connected?`connected ${$(i.connectedAtMs)}`:`seen ${$(i.lastSeenAtMs)}`,i.paired?"paired":"not paired"])}
    ${R("Capabilities",i.caps,"cap")}
    ${R("Commands",i.commands,"command")}
    ${R("Permissions",s,"permission")}
    ${i.paired?Qt(t,i.nodeId,e):null}
  </li>`}function xe(){try{return JSON.parse(localStorage.getItem("openclaw-device-identity-v1")??"{}").deviceId}catch{return}}function te(i,t){let e=i.displayName||i.clientId;return o`<li class="card" data-device=${i.deviceId}>
    <div class="card-head">
      <strong>${e}</strong>
      ${i.connected?w("connected","ok"):w("offline","off")}
      ${i.deviceId===xe()?w("this browser","off"):null}
    </div>
    ${G([i.platform,`role ${i.roles.join(", ")}`,i.approvedVia==="silent"?"auto-paired":"approved",i.lastSeenAtMs?`seen ${$(i.lastSeenAtMs)}`:""])}
    ${R("Scopes",i.scopes,"scope")}
    ${Qt(t,i.deviceId,e)}
  </li>`}var Te=new Set(["device.pair.requested","device.pair.resolved","node.pair.requested","node.pair.resolved","presence"]),_t=class extends u{static properties={_data:{state:!0},_error:{state:!0},_note:{state:!0},_busy:{state:!0}};#t;constructor(){super(),this._data=void 0,this._error="",this._note="",this._busy=""}connectedCallback(){super.connectedCallback(),this.load()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#t)}onConnected(){this.load()}onGatewayEvent(t){!Te.has(t.event)||this.#t||(this.#t=setTimeout(()=>{this.#t=void 0,this.load()},150))}async load(){try{let[t,e,s]=await Promise.all([l.request("node.list",{}),l.request("device.pair.list",{}),l.request("node.pair.list",{})]);this._data={nodes:t.nodes??[],devices:e,nodePairs:s},this._error=""}catch(t){this._error=`Devices unavailable: ${t.message}`}}async act(t,e,s){this._busy=e.requestId??e.deviceId;try{await l.request(t,e),this._note=s,this._error=""}catch(n){this._error=n.message}finally{this._busy=""}await this.load()}render(){let t=this._data,e=t?.devices.pending??[],s=t?.nodePairs.pending??[],n=new Set(t?.nodes.map(c=>c.nodeId)),r=(t?.devices.paired??[]).filter(c=>!n.has(c.deviceId)),a=t?t.nodes.filter(c=>c.connected).length:0;return o`
      <div class="page-head">
        <h1>Nodes and devices</h1>
        <button type="button" @click=${()=>this.load()}>Refresh</button>
      </div>
      ${this._error?o`<p class="error" role="alert">${this._error}</p>`:null}
      ${this._note?o`<p role="status" data-testid="nodes-note">${this._note}</p>`:null}
      ${!t&&!this._error?o`<p role="status">Loading…</p>`:null}
      ${t?o`
          <section aria-labelledby="pending-h">
            <h2 id="pending-h">Pending requests</h2>
            ${e.length+s.length===0?o`<p class="muted">Nothing waiting for approval.</p>`:o`<ul class="cards" aria-labelledby="pending-h">
                ${e.map(c=>Xt(c,this))}
                ${s.map(c=>Yt(c,this))}
              </ul>`}
          </section>
          <section aria-labelledby="nodes-h">
            <h2 id="nodes-h">Nodes</h2>
            ${t.nodes.length?o`<p class="muted">${a} of ${t.nodes.length} connected.</p>`:null}
            ${t.nodes.length===0?o`<p class="muted">No nodes yet. Start a node host and approve it here.</p>`:o`<ul class="cards" aria-labelledby="nodes-h">${t.nodes.map(c=>Zt(c,this))}</ul>`}
          </section>
          <section aria-labelledby="devices-h">
            <h2 id="devices-h">Paired devices</h2>
            ${r.length===0?o`<p class="muted">No other paired devices.</p>`:o`<ul class="cards" aria-labelledby="devices-h">${r.map(c=>te(c,this))}</ul>`}
          </section>
        `:null}
    `}};customElements.define("oc-nodes",_t);var qe={hot:"applied live",none:"read live, nothing to restart",restart:"needs a gateway restart"};function Re(i){return i.line?i.column?`Line ${i.line}, column ${i.column}`:`Line ${i.line}`:""}function ee(i,t,e){return!i?.length&&!t?null:o`<div class="config-issues" role="alert" data-testid="config-issues">
    <h2>Not valid: nothing was written</h2>
    ${t?o`<p>${t}</p>`:null}
    <ul>
      ${(i??[]).map(s=>o`<li data-line=${s.line??""} data-key=${s.path}>
          ${s.line?o`<button type="button" class="link" @click=${()=>e(s.line,s.column)}>${Re(s)}</button>`:null}
          ${s.path?o`<code>${s.path}</code>`:null}
          <span>${s.message}</span>
        </li>`)}
    </ul>
  </div>`}function Ie(i){return i.changes.length?i.restart?"Saving restarts the gateway; this page reconnects by itself.":i.changes.some(t=>t.effect==="restart")?'Some changes wait for a restart: gateway.reload.mode is "hot".':"Saving applies every change live, without a restart.":"No setting changes (formatting or comments only)."}function vt(i,t="What saving does"){return i?.valid?o`<div class="config-changes" data-testid="config-changes">
    <h2>${t}</h2>
    <p>${Ie(i)}</p>
    ${i.changes.length?o`<ul>
        ${i.changes.map(e=>o`<li data-effect=${e.effect}>
            <code>${e.path}</code>
            <span class="effect" data-effect=${e.effect}>${e.effect==="restart"?"restart":"hot"}</span>
            ${qe[e.effect]}${e.action?o`
                (<code>${e.action}</code>)
              `:null}
          </li>`)}
      </ul>`:null}
  </div>`:null}var Oe=700,bt=1e6,Me="__OPENCLAW_REDACTED__",Pe=/^Config changed since baseHash/,yt=class extends u{static properties={_file:{state:!0},_check:{state:!0},_saved:{state:!0},_note:{state:!0},_error:{state:!0},_conflict:{state:!0},_busy:{state:!0}};#t="";#e="";#s;#n=0;constructor(){super(),this._file=void 0,this._check=void 0,this._saved=void 0,this._note="Loading\u2026",this._error="",this._conflict=!1,this._busy=!1}#o=t=>{this.#r()&&t.preventDefault()};connectedCallback(){super.connectedCallback(),addEventListener("beforeunload",this.#o),this.load()}disconnectedCallback(){super.disconnectedCallback(),removeEventListener("beforeunload",this.#o),clearTimeout(this.#s)}onConnected(){this.#r()||this.load({keepSaved:!0})}get#i(){return this.querySelector("textarea")}#r(){let t=this.#i;return!!t&&t.value!==this.#e}async load({keepSaved:t=!1}={}){clearTimeout(this.#s);try{let e=await l.request("config.get",{}),s=e.raw??`{
}
`;this.#t=e.hash,this.#e=s,this._file=e,this.#i&&(this.#i.value=s),this._check=e.valid?void 0:{valid:!1,issues:e.issues,changes:[],stale:!1},this._conflict=!1,this._error="",t||(this._saved=void 0),this._note=e.exists?`Editing ${e.path}`:`${e.path} does not exist yet: saving creates it`}catch(e){this._error=`Config failed to load: ${e.message}`}}async check(t=this.#i?.value??""){clearTimeout(this.#s);let e=++this.#n,s=await l.request("config.validate",{raw:t,baseHash:this.#t});return e===this.#n&&(this._check=s),s}#a(){this._saved=void 0,clearTimeout(this.#s),this.#s=setTimeout(()=>this.check().catch(()=>{}),Oe)}async save(){let t=this.#i.value;if(t.length>bt){this._error=`The file is too large to save here (${t.length} characters; at most ${bt})`;return}this._busy=!0,this._error="",this._saved=void 0;try{let e=await this.check(t);if(!e.valid)return;if(t===this.#e){this._note="Nothing to save: the text is as loaded";return}let s=await l.request("config.set",{raw:t,baseHash:this.#t});this.#t=s.hash,this.#e=t,this._saved=e,this._check=void 0,this._note=`Saved ${s.path}`}catch(e){Pe.test(e.message??"")?this._conflict=!0:this._error=`Not saved: ${e.message}`,this._note="Not saved"}finally{this._busy=!1}}goTo(t,e=1){let s=this.#i,n=s.value.split(`
`),r=0;for(let c=0;c<Math.min(t-1,n.length);c++)r+=n[c].length+1;let a=n[t-1]?.length??0;s.focus(),s.setSelectionRange(r+Math.min(e-1,a),r+a)}#l(){return this._conflict?o`
      <div class="config-conflict" role="alert" data-testid="config-conflict">
        <h2>Not saved: the file changed on disk</h2>
        <p>
              Someone (or something) changed the config file after this page loaded it, so saving
              would overwrite their change. Reload to get the current file, redo your edit, and
              save again.
            </p>
        <button type="button" @click=${()=>this.load()}>Reload the file (drops your edits)</button>
      </div>
    `:null}render(){let t=this._check,e=(s,n)=>this.goTo(s,n);return o`
      <div class="page-head">
        <h1>Config</h1>
        <button type="button" @click=${()=>this.load()}>Reload</button>
      </div>
      <p role="status" class="muted" data-testid="config-note">${this._note}</p>
      ${this._error?o`<p class="error" role="alert">${this._error}</p>`:null}
      ${this.#l()}
      ${t?.stale&&!this._conflict?o`<p class="warn" role="status">
          The file changed on disk since this page loaded it; saving will be refused. Reload first.
        </p>`:null}
      <p class="muted hint">
        JSON5 (comments and trailing commas are fine). Secrets show as <code>${Me}</code>:
        leave that text as it is to keep the stored value, or type a new value to replace it.
      </p>
      <label class="config-editor">
        <span>Config file</span>
        <textarea spellcheck="false" autocapitalize="off" autocomplete="off" rows="24"
          maxlength=${bt} aria-describedby="config-help"
          .value=${this.#e} @input=${()=>this.#a()}
          ?disabled=${this._file===void 0}></textarea>
      </label>
      <p id="config-help" class="muted hint">
        Checked as you type; nothing is written until you press Save.
      </p>
      <div class="row-buttons">
        <button type="button" class="primary" ?disabled=${this._busy||!this._file}
          @click=${()=>this.save()}>Save</button>
        <button type="button" ?disabled=${this._busy||!this._file}
          @click=${()=>this.check().catch(s=>this._error=s.message)}>Check</button>
      </div>
      ${t&&!t.valid?ee(t.issues,t.message,e):null}
      ${this._saved?o`<div role="status" class="config-saved" data-testid="config-saved">
          <p><strong>Saved.</strong></p>
          ${vt(this._saved,"What the save did")}
        </div>`:t?.valid&&!t.stale&&!this._conflict&&this.#r()?vt(t):null}
    `}};customElements.define("oc-config",yt);var Le=2e3,wt=class extends u{static properties={_lines:{state:!0},_note:{state:!0}};#t;#e;#s;constructor(){super(),this._lines=[],this._note="Loading\u2026"}connectedCallback(){super.connectedCallback(),this.poll()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#t)}async poll(){clearTimeout(this.#t);try{let t=await l.request("logs.tail",{limit:500,maxBytes:25e4,...this.#e!==void 0?{cursor:this.#e,file:this.#s}:{}}),e=t.reset?[]:this._lines;this.#e=t.cursor,this.#s=t.file,(t.reset||t.lines.length)&&(this._lines=[...e,...t.lines].slice(-Le)),this._note=`Following ${t.file}`}catch(t){this._note=`Logs unavailable: ${t.message}`}this.isConnected&&(this.#t=setTimeout(()=>this.poll(),2e3))}updated(){let t=this.querySelector("pre");t&&(t.scrollTop=t.scrollHeight)}render(){return o`
      <p role="status">${this._note}</p>
      <pre class="log" data-testid="log-lines" tabindex="0" aria-label="Gateway log">${this._lines.join(`
`)}</pre>
    `}};customElements.define("oc-logs",wt);var z=[{route:"chat",tag:"oc-chat",title:"Chat"},{route:"overview",tag:"oc-overview",title:"Overview"},{route:"sessions",tag:"oc-sessions",title:"Sessions"},{route:"channels",tag:"oc-channels",title:"Channels"},{route:"nodes",tag:"oc-nodes",title:"Nodes"},{route:"config",tag:"oc-config",title:"Config"},{route:"logs",tag:"oc-logs",title:"Logs"}],se={"":"chat",devices:"nodes",settings:"config"};var Et=class extends u{#t(t){t.preventDefault();let e=new FormData(t.target).get("token");typeof e=="string"&&e&&l.signIn(e)}firstUpdated(){this.querySelector("input")?.focus()}render(){return o`
      <h1>Sign in</h1>
      ${l.error?o`<p class="error" role="alert">${l.error}</p>`:null}
      <p class="muted">Paste the gateway token (<code>openclaw config get gateway.auth.token</code>)
        or open the link <code>openclaw dashboard</code> prints.</p>
      <form class="row" @submit=${this.#t}>
        <input type="password" name="token" autocomplete="current-password"
          aria-label="Gateway token" placeholder="Gateway token" maxlength="4096" required>
        <button type="submit">Connect</button>
      </form>
    `}};customElements.define("oc-sign-in",Et);var Ne={idle:"idle","signed-out":"signed out",connecting:"connecting\u2026",connected:"connected",reconnecting:"reconnecting\u2026","auth-failed":"signed out"},F=class extends g{#t;#e;createRenderRoot(){return this}connectedCallback(){super.connectedCallback(),l.addEventListener("state",()=>this.requestUpdate()),addEventListener("route",()=>this.requestUpdate()),Vt(),l.start()}#s(){let t=ct(),e=se[t]??t;return z.find(s=>s.route===e)??z[0]}#n(t){return this.#e!==t.route&&(this.#t=document.createElement(t.tag),this.#e=t.route),this.#t}render(){let t=this.#s(),e=l.state==="connected",s=l.state==="signed-out"||l.state==="auth-failed";return s&&(this.#t=this.#e=void 0),document.title=`${t.title} \xB7 OpenClaw Control`,o`
      <nav aria-label="Pages">
        <strong class="brand">OpenClaw</strong>
        ${z.map(n=>o`
            <a href=${T(n.route)} data-route=${n.route}
              aria-current=${n===t?"page":"false"}>${n.title}</a>
          `)}
        <span class="status" data-state=${l.state} data-testid="conn" role="status"
          >${Ne[l.state]??l.state}</span>
        ${e?o`<button type="button" @click=${()=>l.signOut()}>Sign out</button>`:null}
      </nav>
      ${l.error&&!s?o`<p class="banner" role="alert">${l.error}</p>`:null}
      <main>
        ${s?o`<oc-sign-in></oc-sign-in>`:this.#t||e?this.#n(t):o`<p role="status">Connecting…</p>`}
      </main>
    `}};At();customElements.define("oc-app",F);
